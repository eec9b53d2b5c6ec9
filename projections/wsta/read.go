package wsta

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/wsledger/wsledger/events"
)

// Published is a notice as the WSTA stream holds it: the notice, the stream's sequence and the
// instant the stream stored it.
type Published struct {
	Notice
	StreamSequence uint64    `json:"stream_sequence"`
	PublishedAt    time.Time `json:"published_at"`
}

// Published returns the notices of a provider ("" for every provider) the WSTA stream stored at
// or after since, oldest first, at most limit; more is set when there were others after them.
// Digests, which are not notices of an event, are left out.
func (f *Feed) Published(ctx context.Context, provider string, since time.Time, limit int) (out []Published, more bool, err error) {
	filter := SubjectPrefix + ".>"
	if provider != "" {
		filter = SubjectPrefix + "." + provider + ".>"
	}
	cons, err := f.js.OrderedConsumer(ctx, f.opts.Stream, jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{filter}, DeliverPolicy: jetstream.DeliverByStartTimePolicy, OptStartTime: &since,
	})
	if err != nil {
		return nil, false, fmt.Errorf("wsta: read the stream: %w", err)
	}
	if cons.CachedInfo().NumPending == 0 {
		return nil, false, nil
	}
	for len(out) < limit {
		batch, err := cons.Fetch(min(limit-len(out)+1, 500), jetstream.FetchMaxWait(2*time.Second))
		if err != nil {
			return out, false, err
		}
		last := false
		for m := range batch.Messages() {
			md, err := m.Metadata()
			if err != nil {
				return out, false, err
			}
			last = md.NumPending == 0
			if m.Headers().Get(HeaderLedgerSequence) == "" {
				continue // a digest
			}
			if len(out) == limit {
				return out, true, nil
			}
			p := Published{StreamSequence: md.Sequence.Stream, PublishedAt: md.Timestamp}
			if err := json.Unmarshal(m.Data(), &p.Notice); err != nil {
				return out, false, fmt.Errorf("wsta: message %d: %w", md.Sequence.Stream, err)
			}
			out = append(out, p)
			if last {
				break
			}
		}
		if err := batch.Error(); err != nil {
			return out, false, err
		}
		if last {
			return out, false, nil
		}
	}
	return out, false, nil
}

// Waiting returns the notices of a provider ("" for every provider) whose events the ledger holds
// but the running feed has not published yet: those after Position, read from the log. It
// returns none while the feed is not running, when it cannot say.
func (f *Feed) Waiting(ctx context.Context, provider string) ([]Notice, error) {
	var out []Notice
	if !f.running.Load() {
		return nil, nil
	}
	for e, err := range f.log.Read(ctx, events.ReadOptions{Provider: provider, From: f.Position() + 1}) {
		if err != nil {
			return out, err
		}
		kind, err := KindOf(e)
		if err != nil {
			return out, err
		}
		if kind != "" {
			out = append(out, Notice{Kind: kind, Provider: e.Provider, LedgerSequence: e.Sequence,
				OccurredAt: e.OccurredAt, RecordedAt: e.RecordedAt, Event: e})
		}
	}
	return out, nil
}
