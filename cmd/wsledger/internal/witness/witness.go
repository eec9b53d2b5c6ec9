// Package witness is a witness of the ledger's checkpoints, run outside the ledger's control
// (by WSTA): it reads, on the WSTA feed, each provider's new leaf hashes and the checkpoint the
// ledger signed over them, checks that the checkpoint is the ledger's and extends every
// checkpoint it checked before, keeps the leaves, and sends back its cosignature (C2SP
// tlog-cosignature). A checkpoint that fails (a bad signature, a tree that does not extend the
// one it kept, leaves that differ from those it kept, a smaller tree) is refused: the evidence
// is kept in its directory, the first event that differs is named when the leaves show it, and
// the provider is cosigned no more until a person clears the alarm.
package witness

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/checkpoints"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/keys"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/natsauth"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/store"
	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events/evidence"
	"github.com/wsledger/wsledger/projections/wsta"
)

// Options configure a witness.
type Options struct {
	Dir       string // its directory
	Key       string // its signer key (note format); its name is the witness's
	LedgerKey string // the ledger's verifier key; its name is the ledger's
	Conn      *nats.Conn
	// Stream is the feed's stream; default natsauth.FeedStream.
	Stream string
	// Serve keeps the witness running after an alarm (reported by Metrics) rather than
	// returning it.
	Serve   bool
	Metrics *Metrics
	Logger  *slog.Logger
	Now     func() time.Time
	// Retry is the first wait before a cosignature is sent again while the ledger does not
	// answer, doubled up to 30 s; default one second.
	Retry time.Duration
}

// ConsumerName returns the name of a witness's durable consumer on the feed stream.
func ConsumerName(witness string) string { return "witness-" + witness }

// InboxPrefix returns the inbox prefix of a witness's connection: its user may be allowed to
// subscribe to its own replies only (InboxPrefix(name) + ".>").
func InboxPrefix(witness string) string { return "_INBOX.witness." + witness }

// Rights returns what a witness's NATS user needs, and all it needs: to publish the JetStream
// API requests that read the feed stream with its own consumer and acknowledge, and its
// cosignatures on witness.<name>.>; to subscribe to its own inbox.
func Rights(witness, stream string) (publish, subscribe []string) {
	c := stream + "." + ConsumerName(witness)
	publish = []string{
		"$JS.API.STREAM.INFO." + stream,
		"$JS.API.CONSUMER.CREATE." + c, "$JS.API.CONSUMER.CREATE." + c + ".>",
		"$JS.API.CONSUMER.INFO." + c, "$JS.API.CONSUMER.MSG.NEXT." + c,
		"$JS.ACK." + c + ".>",
		"witness." + witness + ".>",
	}
	return publish, []string{InboxPrefix(witness) + ".>"}
}

// FeedSubjects are the feed subjects a witness reads.
var FeedSubjects = []string{wsta.SubjectPrefix + ".*." + wsta.KindLeaves, wsta.SubjectPrefix + ".*." + wsta.KindCheckpoint}

// sendTimeout bounds one request carrying a cosignature.
const sendTimeout = 10 * time.Second

type witness struct {
	o         Options
	name      string
	ledger    string
	providers map[string]*provider
}

// Run runs the witness until ctx ends (nil), or, without Serve, until it refuses a checkpoint
// (an *AlarmError). Without Serve a standing alarm is returned at once.
func Run(ctx context.Context, o Options) error {
	if o.Stream == "" {
		o.Stream = natsauth.FeedStream
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Retry <= 0 {
		o.Retry = time.Second
	}
	vkey, err := evidence.VerifierKey(o.Key)
	if err != nil {
		return err
	}
	lock, err := store.Acquire(o.Dir, "witness")
	if err != nil {
		return err
	}
	defer lock.Release()
	w := &witness{o: o, name: keys.LedgerName(vkey), ledger: keys.LedgerName(o.LedgerKey), providers: map[string]*provider{}}
	if err := w.load(); err != nil {
		return err
	}
	if as := alarms(w.providers); len(as) > 0 && !o.Serve {
		return as[0]
	}
	js, err := jetstream.New(o.Conn)
	if err != nil {
		return err
	}
	wait := o.Retry
	for {
		err := w.follow(ctx, js)
		if ctx.Err() != nil {
			return nil
		}
		if alarm := (*AlarmError)(nil); errors.As(err, &alarm) {
			return err
		}
		o.Logger.Warn("reading the feed failed; trying again", "stream", o.Stream, "err", err, "in", wait)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
		wait = min(2*wait, 30*time.Second)
		// What a failed message left in memory is dropped: the files say what was applied.
		w.providers = map[string]*provider{}
		if err := w.load(); err != nil {
			return err
		}
	}
}

// load reads the state of every provider in the directory.
func (w *witness) load() error {
	entries, err := os.ReadDir(w.o.Dir)
	if err != nil {
		return fmt.Errorf("witness: %w", err)
	}
	for _, e := range entries {
		if !e.IsDir() || !domain.IsProviderID(e.Name()) {
			continue
		}
		if _, err := os.Stat(filepath.Join(w.o.Dir, e.Name(), stateFile)); err != nil {
			continue
		}
		p, err := openProvider(w.o.Dir, e.Name())
		if err != nil {
			return err
		}
		w.providers[e.Name()] = p
		w.o.Metrics.set(p)
	}
	return nil
}

// follow reads the feed with the witness's durable consumer until ctx ends or reading fails.
// A stream created anew (its consumer gone with it) is read from its start.
func (w *witness) follow(ctx context.Context, js jetstream.JetStream) error {
	stream, err := js.Stream(ctx, w.o.Stream)
	if err != nil {
		return err
	}
	created := stream.CachedInfo().Created
	cons, err := stream.CreateOrUpdateConsumer(ctx, jetstream.ConsumerConfig{
		Durable: ConsumerName(w.name), Description: "wsledger witness " + w.name,
		FilterSubjects: FeedSubjects, DeliverPolicy: jetstream.DeliverAllPolicy,
		AckPolicy: jetstream.AckExplicitPolicy, AckWait: 30 * time.Second, MaxAckPending: 1000,
	})
	if err != nil {
		return err
	}
	w.o.Logger.Info("witness reading the feed", "witness", w.name, "stream", w.o.Stream, "pending", cons.CachedInfo().NumPending)
	due := true
	for {
		if due {
			// The backlog is read: only now are the newest checkpoints cosigned.
			if err := w.cosignDue(ctx); err != nil {
				return err
			}
		}
		fctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err := w.fetch(fctx, cons, created, &due)
		cancel()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			return err
		}
	}
}

// fetch applies a batch of feed messages; due is set when the last leaves nothing pending.
func (w *witness) fetch(ctx context.Context, cons jetstream.Consumer, created time.Time, due *bool) error {
	batch, err := cons.Fetch(100, jetstream.FetchContext(ctx))
	if err != nil {
		return err
	}
	for m := range batch.Messages() {
		meta, err := m.Metadata()
		if err != nil {
			return err
		}
		if err := w.handle(m, created, meta.Sequence.Stream); err != nil {
			return err
		}
		if err := m.Ack(); err != nil {
			return err
		}
		*due = meta.NumPending == 0
	}
	if err := batch.Error(); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}

// handle applies one feed message. Notices that cannot be read are logged and skipped: only a
// checkpoint that verifies with the ledger's key, or fails to, is decided upon.
func (w *witness) handle(m jetstream.Msg, created time.Time, seq uint64) error {
	parts := strings.Split(m.Subject(), ".")
	if len(parts) != 3 || !domain.IsProviderID(parts[1]) {
		w.o.Logger.Warn("skipped a feed message on an unexpected subject", "subject", m.Subject())
		return nil
	}
	p, err := w.provider(parts[1])
	if err != nil {
		return err
	}
	if p.st.Feed.Created.Equal(created) && seq <= p.st.Feed.Seq {
		return nil // applied before a restart
	}
	p.st.Feed = feedPos{Created: created, Seq: seq}
	log := w.o.Logger.With("provider", p.st.Provider, "seq", seq)
	switch parts[2] {
	case wsta.KindLeaves:
		var n wsta.LeavesNotice
		if err := json.Unmarshal(m.Data(), &n); err != nil || n.Provider != p.st.Provider {
			log.Warn("skipped a leaves notice that cannot be read", "err", err)
		} else if err := p.addLeaves(n); err != nil {
			log.Warn("skipped a leaves notice", "err", err)
		}
	case wsta.KindCheckpoint:
		var n wsta.CheckpointNotice
		if err := json.Unmarshal(m.Data(), &n); err != nil || n.Provider != p.st.Provider {
			log.Warn("skipped a checkpoint notice that cannot be read", "err", err)
			break
		}
		return w.checkpoint(p, n, m.Data(), log)
	}
	return p.save(w.o.Dir)
}

// checkpoint decides on a checkpoint and saves what follows.
func (w *witness) checkpoint(p *provider, n wsta.CheckpointNotice, raw []byte, log *slog.Logger) error {
	out, f, err := p.checkCheckpoint(n, w.ledger, w.o.LedgerKey)
	switch {
	case err != nil && out == unchecked:
		log.Error("a checkpoint could not be checked", "err", err)
	case err != nil:
		return err
	case f != nil && p.st.Alarm != nil:
		// Under an alarm already: noted, and the history the ledger claims is followed.
		log.Error("refused a checkpoint (the provider's alarm stands)", "reason", f.reason, "err", f.message)
		if err := p.follow(f); err != nil {
			return err
		}
	case f != nil:
		alarm, err := p.raise(w.o.Dir, w.name, f, raw, w.o.Now())
		if err != nil {
			return err
		}
		if err := p.save(w.o.Dir); err != nil {
			return err
		}
		log.Error("ALARM: refused a checkpoint", "reason", f.reason, "evidence", alarm.Evidence, "err", alarm.Message)
		w.o.Metrics.set(p)
		if !w.o.Serve {
			return alarm
		}
		return nil
	case out == accepted:
		log.Info("checked a checkpoint", "size", p.current().Size)
		w.o.Metrics.set(p)
	}
	return p.save(w.o.Dir)
}

func (w *witness) provider(name string) (*provider, error) {
	if p := w.providers[name]; p != nil {
		return p, nil
	}
	p, err := openProvider(w.o.Dir, name)
	if err != nil {
		return nil, err
	}
	w.providers[name] = p
	return p, nil
}

// cosignDue cosigns, for each provider without an alarm, the newest checkpoint it checked, and
// sends the cosignature until the ledger answers.
func (w *witness) cosignDue(ctx context.Context) error {
	for _, name := range slices.Sorted(maps.Keys(w.providers)) {
		p := w.providers[name]
		k := p.st.Kept
		if p.st.Alarm != nil || k.Size == 0 {
			continue
		}
		if cs := p.st.Cosigned; cs == nil || cs.Size != k.Size {
			note, err := evidence.Cosign([]byte(k.Checkpoint), w.o.Key)
			if err != nil {
				return err
			}
			p.st.Cosigned = &cosignature{Checkpoint: string(note), Size: k.Size, At: w.o.Now().UTC()}
			if err := p.save(w.o.Dir); err != nil {
				return err
			}
		}
		if p.st.Cosigned.Sent {
			continue
		}
		answer, err := w.send(ctx, name, []byte(p.st.Cosigned.Checkpoint))
		if err != nil {
			return err
		}
		p.st.Cosigned.Sent, p.st.Cosigned.Answer = true, answer
		if err := p.save(w.o.Dir); err != nil {
			return err
		}
		if answer == "ok" {
			w.o.Logger.Info("cosigned a checkpoint", "provider", name, "size", k.Size)
		} else {
			w.o.Logger.Warn("the ledger refused a cosignature", "provider", name, "size", k.Size, "answer", answer)
		}
		w.o.Metrics.set(p)
	}
	return nil
}

// send sends a cosigned checkpoint to the ledger, again and again while no one answers, and
// returns the answer.
func (w *witness) send(ctx context.Context, provider string, note []byte) (string, error) {
	subject := checkpoints.WitnessSubject(w.name, provider)
	wait := w.o.Retry
	for {
		rctx, cancel := context.WithTimeout(ctx, sendTimeout)
		m, err := w.o.Conn.RequestWithContext(rctx, subject, note)
		cancel()
		if err == nil {
			return string(m.Data), nil
		}
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		w.o.Logger.Warn("the ledger did not take a cosignature; sending it again", "provider", provider, "err", err, "in", wait)
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(wait):
		}
		wait = min(2*wait, 30*time.Second)
	}
}
