// Package runner keeps a read model up to date from the ledger's log and checkpoints it, so that
// a restart resumes where it stopped instead of replaying the whole log.
//
// A runner subscribes to every event after its checkpoint, passes each one once and in stream
// order to its Target, and saves the Target's state in a JetStream object store: after every
// Options.Every events, when events have waited unsaved for Options.Interval (while catching up
// with the log, by default, as the checkpoint grows fourfold instead), and when Run ends because
// its context ended. Each provider's state is one object that carries the checkpoint it
// was taken at, so state and checkpoint cannot disagree; a manifest object, written after them,
// names the providers and the checkpoint every one of them has reached. See docs/projections.md.
package runner

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/wsledger/wsledger/events"
)

// Target is a read model partitioned by provider that a Runner keeps.
type Target interface {
	// Apply applies one event. The runner passes each event once, in stream order.
	Apply(e events.Envelope) error
	// Save returns the saved form of one provider's state: compact JSON, which the runner stores
	// as it is.
	Save(provider string) ([]byte, error)
	// Load restores one provider's state from the form Save returned.
	Load(provider string, data []byte) error
	// Reset drops every provider's state, before a rebuild from the start of the log.
	Reset()
}

// PeriodTarget is a Target whose saved states are also kept one per period, for reads of the
// past: when a provider's state is saved in a period none was kept for yet, a copy stays under
// that period's name, where later snapshots do not replace it (see Saved).
type PeriodTarget interface {
	Target
	// Period names the period a provider's state is in; "" keeps no copy. Called with Save.
	// Names sort in time order (Options.KeepPeriods keeps the last ones).
	Period(provider string) string
}

// Options configure a Runner.
type Options struct {
	// Name names the projection; its objects are stored under it. Required.
	Name string
	// Version is the version of the saved state. Saved state of another version is ignored and
	// the projection rebuilt from the start of the log.
	Version int
	// Bucket is the object store bucket; default DefaultBucket.
	Bucket string
	// Replicas of the bucket when the runner creates it; default 1.
	Replicas int
	// Every is how many applied events trigger a snapshot; default 1000. Left at the default,
	// a runner catching up with the log (applying what it held when Run started) instead waits
	// until the events applied since the last snapshot are three times the checkpoint that
	// snapshot was taken at, so that each snapshot's checkpoint is four times the one before,
	// and until Interval has passed since Run started or the last snapshot: a snapshot's cost
	// grows with the state and stops the applying while it is taken, so a catch-up shorter
	// than Interval saves nothing until it has caught up, and a longer one saves about a third
	// of its final state in all, where a snapshot every 1000 events would save it over and
	// over. A runner killed while catching up applies again what followed its last snapshot:
	// at most Interval's work or three quarters of what it had applied, whichever is more.
	Every int
	// Interval is how long applied events may wait unsaved; default 30 seconds (see Every for a
	// runner catching up).
	Interval time.Duration
	// KeepPeriods is how many of a provider's period copies (PeriodTarget) stay: when a copy is
	// kept for a new period, the oldest beyond the last KeepPeriods are deleted. 0 keeps every
	// copy.
	KeepPeriods int
	// Saves, when set, says whether this runner writes snapshots now: of several processes
	// keeping the same projection from one ledger, only the one that writes the ledger saves,
	// and the others only load. Nil: always.
	Saves  func() bool
	Logger *slog.Logger
}

// DefaultBucket is the object store bucket projections are saved in unless Options say otherwise.
const DefaultBucket = "wsledger_projections"

// Runner keeps a Target up to date from a log. Run it once at a time.
type Runner struct {
	log    events.Log
	js     jetstream.JetStream
	target Target
	opts   Options
	logger *slog.Logger
	// spaceCatchUp is set when Options.Every was left at its default: see Options.Every.
	spaceCatchUp bool

	saveMu sync.Mutex // one snapshot at a time, in checkpoint order

	mu         sync.Mutex
	checkpoint uint64            // every event up to here has been applied (or was in a saved state)
	resume     map[string]uint64 // provider -> checkpoint of the state loaded for it
	stored     map[string]bool   // providers that have a saved object
	dirty      map[string]bool   // providers changed since the last snapshot
	periods    map[string]string // provider -> the period a copy was last kept for (PeriodTarget)
	unsaved    int               // events applied since the last snapshot
	catchUpTo  uint64            // the log's last sequence when Run started
	lastSave   time.Time         // when Run started or the last snapshot began
	// advanced is closed when the checkpoint moves; WaitFor makes it when there is none, so that
	// an event applied with nobody waiting allocates nothing.
	advanced   chan struct{}
	saved      uint64        // the checkpoint of the saved state this runner loaded or last saved
	savedMoved chan struct{} // closed when saved moves; made by WaitSaved
}

// New returns a runner that keeps target up to date from log and saves it through js.
func New(log events.Log, js jetstream.JetStream, target Target, opts Options) *Runner {
	if opts.Bucket == "" {
		opts.Bucket = DefaultBucket
	}
	if opts.Replicas <= 0 {
		opts.Replicas = 1
	}
	spaceCatchUp := opts.Every <= 0
	if spaceCatchUp {
		opts.Every = 1000
	}
	if opts.Interval <= 0 {
		opts.Interval = 30 * time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Runner{
		log: log, js: js, target: target, opts: opts, logger: opts.Logger.With("projection", opts.Name), spaceCatchUp: spaceCatchUp,
		resume: map[string]uint64{}, stored: map[string]bool{}, dirty: map[string]bool{}, periods: map[string]string{},
	}
}

// finalSaveTimeout bounds the snapshot Run takes when its context ends.
const finalSaveTimeout = 30 * time.Second

// Run loads the saved state, applies every later event and keeps following the log until ctx
// ends; then it saves a final snapshot and returns nil (or the snapshot's error). When applying an
// event fails it returns the error at once and saves nothing: the state may be half changed, and
// the next Run resumes from the last snapshot.
func (r *Runner) Run(ctx context.Context) error {
	if r.opts.Name == "" {
		return errors.New("runner: Options.Name is required")
	}
	store, err := r.store(ctx)
	if err == nil {
		err = r.load(ctx, store)
	}
	if err == nil {
		err = r.readTip(ctx)
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil // stopped before anything was applied: nothing to save
		}
		return err
	}
	tickCtx, stopTicks := context.WithCancel(ctx)
	ticks := make(chan struct{})
	go func() {
		defer close(ticks)
		r.saveEvery(tickCtx, store)
	}()
	err = r.follow(ctx, store)
	stopTicks()
	<-ticks
	if err != nil {
		return fmt.Errorf("runner %s: %w", r.opts.Name, err)
	}
	saveCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), finalSaveTimeout)
	defer cancel()
	return r.snapshot(saveCtx, store)
}

// queued is how many read events may wait for the goroutine that applies them.
const queued = 256

// follow reads the log from the checkpoint on until ctx ends, and returns nil then; an event that
// cannot be applied or a subscription that fails ends it with the error. Reading (which decodes
// each event) and applying run in two goroutines, so that each event is decoded while the one
// before it is applied.
func (r *Runner) follow(ctx context.Context, store jetstream.ObjectStore) error {
	readCtx, stopReading := context.WithCancel(ctx)
	defer stopReading()
	read := make(chan events.Envelope, queued)
	failed := make(chan struct{})
	var applyErr error
	go func() {
		defer close(failed)
		for e := range read {
			if applyErr = r.handle(ctx, store, e); applyErr != nil {
				stopReading()
				return
			}
		}
	}()
	err := r.log.Subscribe(readCtx, "", r.Checkpoint()+1, func(e events.Envelope) error {
		select {
		case read <- e:
			return nil
		case <-failed:
			return errors.New("the event could not be applied")
		}
	})
	close(read)
	<-failed // every event read is applied, or one failed
	switch {
	case applyErr != nil:
		return applyErr
	case err != nil && ctx.Err() == nil:
		return err
	}
	return nil
}

// handle applies one event, skipping what a loaded state already holds, and snapshots every
// Options.Every events.
func (r *Runner) handle(ctx context.Context, store jetstream.ObjectStore, e events.Envelope) error {
	r.mu.Lock()
	if e.Sequence <= r.checkpoint {
		r.mu.Unlock()
		return nil
	}
	if e.Sequence > r.resume[e.Provider] {
		if err := r.target.Apply(e); err != nil {
			r.mu.Unlock()
			return err
		}
		r.dirty[e.Provider] = true
		r.unsaved++
	}
	r.advance(e.Sequence)
	due := r.snapshotDue()
	r.mu.Unlock()
	if due {
		if err := r.snapshot(ctx, store); err != nil && ctx.Err() == nil {
			r.logger.Warn("snapshot failed; the events stay applied and will be saved with the next one", "err", err)
		}
	}
	return nil
}

// readTip notes the log's last sequence, up to which Run is catching up.
func (r *Runner) readTip(ctx context.Context) error {
	tip, err := r.log.LastSequence(ctx)
	if err != nil {
		return fmt.Errorf("runner: the log's last sequence: %w", err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.catchUpTo = tip
	r.lastSave = time.Now()
	return nil
}

// catchUpGrowth is how many times the last snapshot's checkpoint a runner catching up applies
// before the next snapshot (see Options.Every).
const catchUpGrowth = 3

// snapshotDue reports whether the events applied since the last snapshot call for one (see
// Options.Every); r.mu is held. The last event of a catch-up does not: saving the whole state
// as soon as it is caught up would undo the spacing, and Interval saves it soon after.
func (r *Runner) snapshotDue() bool {
	if r.spaceCatchUp && r.checkpoint <= r.catchUpTo {
		return r.unsaved >= r.opts.Every && uint64(r.unsaved) >= catchUpGrowth*(r.checkpoint-uint64(r.unsaved)) &&
			time.Since(r.lastSave) >= r.opts.Interval
	}
	return r.unsaved >= r.opts.Every
}

// intervalDue reports whether applied events have waited long enough for a snapshot when the
// interval has passed; r.mu is held.
func (r *Runner) intervalDue() bool {
	return r.unsaved > 0 && !(r.spaceCatchUp && r.checkpoint < r.catchUpTo)
}

// saveEvery saves unsaved events every Options.Interval until ctx ends.
func (r *Runner) saveEvery(ctx context.Context, store jetstream.ObjectStore) {
	t := time.NewTicker(r.opts.Interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			r.mu.Lock()
			due := r.intervalDue()
			r.mu.Unlock()
			if !due {
				continue
			}
			if err := r.snapshot(ctx, store); err != nil && ctx.Err() == nil {
				r.logger.Warn("snapshot failed; retrying at the next interval", "err", err)
			}
		}
	}
}

// advance moves the checkpoint and wakes WaitFor; r.mu is held.
func (r *Runner) advance(seq uint64) {
	r.checkpoint = seq
	wake(&r.advanced)
}

// markSaved notes the checkpoint of a snapshot saved or loaded and wakes WaitSaved; r.mu is held.
func (r *Runner) markSaved(seq uint64) {
	r.saved = max(r.saved, seq)
	wake(&r.savedMoved)
}

// wake closes a channel waiters wait on, if one was made.
func wake(ch *chan struct{}) {
	if *ch != nil {
		close(*ch)
		*ch = nil
	}
}

// Checkpoint returns the stream sequence up to which every event has been applied.
func (r *Runner) Checkpoint() uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.checkpoint
}

// WaitFor waits until every event up to seq has been applied, or ctx ends. A caller that appended
// an event can wait for its sequence before reading the views, to read what it wrote.
func (r *Runner) WaitFor(ctx context.Context, seq uint64) error {
	return r.waitUntil(ctx, &r.advanced, func() bool { return r.checkpoint >= seq })
}

// WaitSaved waits until the projection's saved state, as this runner loaded or saved it, holds
// every event up to seq, or ctx ends.
func (r *Runner) WaitSaved(ctx context.Context, seq uint64) error {
	return r.waitUntil(ctx, &r.savedMoved, func() bool { return r.saved >= seq })
}

// waitUntil waits until done, called with r.mu held, reports true, or ctx ends; *woken is closed
// whenever what done reads changes.
func (r *Runner) waitUntil(ctx context.Context, woken *chan struct{}, done func() bool) error {
	for {
		r.mu.Lock()
		ok := done()
		if !ok && *woken == nil {
			*woken = make(chan struct{})
		}
		next := *woken
		r.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-next:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
