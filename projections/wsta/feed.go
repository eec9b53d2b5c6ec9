// Package wsta publishes to DPA's Work Services Technical Assistance team (WSTA) the events the
// manual says must reach it, each exactly once, on subjects wsta.<provider>.<kind> of a JetStream
// stream of their own.
//
// Exactly once has two guards. Every notice carries its event id as Nats-Msg-Id, so JetStream
// drops a repeat within the stream's duplicate window; and every notice carries its ledger
// sequence in a header, so that a feed that starts (after a crash, a deploy, a week off) resumes
// after the last notice the WSTA stream holds, however long ago it was written. Each publish also
// expects the stream's last sequence, so two feeds writing at once cannot interleave: the loser
// re-reads the stream and skips what the winner published. Subscribers use a durable consumer with
// explicit acks and see each notice once, across their own reconnects.
package wsta

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/wsledger/wsledger/events"
)

// Options configure a Feed.
type Options struct {
	// Stream is the WSTA stream's name; default "WSTA".
	Stream string
	// Replicas of the stream when the feed creates it; default 1.
	Replicas int
	// Duplicates is the stream's duplicate window when the feed creates it; default one hour.
	// The resume header keeps notices single beyond it.
	Duplicates time.Duration
	// Now gives a digest's exported_at; default time.Now.
	Now    func() time.Time
	Logger *slog.Logger
}

// Feed publishes WSTA notices from the ledger's log.
type Feed struct {
	log    events.Log
	js     jetstream.JetStream
	stream jetstream.Stream
	opts   Options
	logger *slog.Logger

	// position is the ledger sequence up to which Run has read the log: every WSTA event up to
	// it is in the WSTA stream.
	position atomic.Uint64
	running  atomic.Bool // Run has resumed and follows the log

	mu        sync.Mutex // serialises publishing
	synced    bool
	last      uint64 // the WSTA stream's last sequence, as this feed last saw it
	published uint64 // ledger sequence of the last notice the WSTA stream holds
}

// New creates the WSTA stream when it is missing (or checks that it takes wsta.>) and returns a
// feed of log's events onto it.
func New(ctx context.Context, log events.Log, js jetstream.JetStream, opts Options) (*Feed, error) {
	if opts.Stream == "" {
		opts.Stream = "WSTA"
	}
	if opts.Replicas <= 0 {
		opts.Replicas = 1
	}
	if opts.Duplicates <= 0 {
		opts.Duplicates = time.Hour
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	s, err := ensureStream(ctx, js, opts)
	if err != nil {
		return nil, err
	}
	return &Feed{log: log, js: js, stream: s, opts: opts, logger: opts.Logger.With("feed", opts.Stream)}, nil
}

func ensureStream(ctx context.Context, js jetstream.JetStream, opts Options) (jetstream.Stream, error) {
	s, err := js.Stream(ctx, opts.Stream)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		s, err = js.CreateStream(ctx, jetstream.StreamConfig{
			Name: opts.Stream, Description: "wsledger: notices to DPA's Work Services Technical Assistance team",
			Subjects: []string{SubjectPrefix + ".>"}, Storage: jetstream.FileStorage, Retention: jetstream.LimitsPolicy,
			Replicas: opts.Replicas, Duplicates: opts.Duplicates, DenyDelete: true,
		})
	}
	if err != nil {
		return nil, fmt.Errorf("wsta: stream %s: %w", opts.Stream, err)
	}
	if !slices.Contains(s.CachedInfo().Config.Subjects, SubjectPrefix+".>") {
		return nil, fmt.Errorf("wsta: stream %s does not take the subjects %s.>", opts.Stream, SubjectPrefix)
	}
	return s, nil
}

// Run publishes the notice of every WSTA event after the last one the stream holds, then follows
// the log until ctx ends, and returns nil. A publish that fails is retried until it succeeds or
// ctx ends; an event that cannot be read stops Run with its error.
func (f *Feed) Run(ctx context.Context) error {
	from, err := f.Resume(ctx)
	if err != nil {
		return err
	}
	f.position.Store(from - 1)
	f.running.Store(true)
	defer f.running.Store(false)
	err = f.log.Subscribe(ctx, "", from, func(e events.Envelope) error {
		kind, err := KindOf(e)
		if err == nil && kind != "" {
			err = f.publishNotice(ctx, e, kind)
		}
		if err == nil {
			f.position.Store(e.Sequence)
		}
		return err
	})
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// Position returns the ledger sequence up to which the running feed has read the log (0 before
// it starts): every notice of an event up to it is in the WSTA stream.
func (f *Feed) Position() uint64 { return f.position.Load() }

// Resume returns the ledger sequence the feed goes on from: the one after the last notice the
// WSTA stream holds.
func (f *Feed) Resume(ctx context.Context) (uint64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.sync(ctx); err != nil {
		return 0, err
	}
	return f.published + 1, nil
}
