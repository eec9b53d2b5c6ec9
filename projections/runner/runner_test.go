package runner_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/events/natslog"
	"github.com/wsledger/wsledger/projections/internal/fixture"
	"github.com/wsledger/wsledger/projections/runner"
)

// tally is a Target that proves each event reaches it once and in order: per provider it counts
// the events, keeps the last sequence and position, and folds every event hash into a checksum.
// An event at or before the last sequence it applied is refused.
type tally struct {
	mu        sync.Mutex
	providers map[string]*count
	applied   int // Apply calls that were accepted, for this target's life only
}

type count struct {
	Events   uint64 `json:"events"`
	Sequence uint64 `json:"sequence"`
	Position uint64 `json:"position"`
	Checksum string `json:"checksum"`
}

func newTally() *tally { return &tally{providers: map[string]*count{}} }

func (t *tally) Apply(e events.Envelope) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	c := t.providers[e.Provider]
	if c == nil {
		c = &count{}
		t.providers[e.Provider] = c
	}
	if e.Sequence <= c.Sequence {
		return fmt.Errorf("event at sequence %d applied twice (last %d)", e.Sequence, c.Sequence)
	}
	if e.Position != c.Position+1 {
		return fmt.Errorf("provider %s: position %d follows %d: an event was lost", e.Provider, e.Position, c.Position)
	}
	sum := sha256.Sum256([]byte(c.Checksum + e.Hash))
	c.Events, c.Sequence, c.Position, c.Checksum = c.Events+1, e.Sequence, e.Position, hex.EncodeToString(sum[:])
	t.applied++
	return nil
}

func (t *tally) Save(provider string) ([]byte, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return json.Marshal(t.providers[provider])
}

func (t *tally) Load(provider string, data []byte) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	var c count
	if err := json.Unmarshal(data, &c); err != nil {
		return err
	}
	t.providers[provider] = &c
	return nil
}

func (t *tally) Reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	clear(t.providers)
}

func (t *tally) snapshot() (map[string]count, int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := map[string]count{}
	for p, c := range t.providers {
		out[p] = *c
	}
	return out, t.applied
}

// crashAfter fails the n-th Apply, as a process that dies while applying: the runner stops at
// once and saves nothing.
type crashAfter struct {
	*tally
	n, calls int
}

var errCrash = errors.New("simulated crash")

func (c *crashAfter) Apply(e events.Envelope) error {
	c.calls++
	if c.calls == c.n {
		return errCrash
	}
	return c.tally.Apply(e)
}

// ledger opens a log on an embedded server and returns a ledger to play fixtures into it.
func ledger(t *testing.T) (*natslog.Log, *fixture.Ledger) {
	log, clock := fixture.Open(t)
	return log, fixture.NewLedger(log, clock)
}

func playAll(t *testing.T, l *fixture.Ledger) {
	l.Play(t, "../testdata/north-star-2025.jsonl")
	l.Play(t, "../testdata/aurora-2025.jsonl")
}

// running is a runner's Run in the background.
type running struct {
	cancel context.CancelFunc
	done   chan error
}

// start runs r in the background.
func start(r *runner.Runner) *running {
	ctx, cancel := context.WithCancel(context.Background())
	run := &running{cancel: cancel, done: make(chan error, 1)}
	go func() { run.done <- r.Run(ctx) }()
	return run
}

// stop cancels the run and returns what Run returned.
func (r *running) stop() error {
	r.cancel()
	return <-r.done
}

// wait returns what Run returned when it stops on its own.
func (r *running) wait() error {
	defer r.cancel()
	select {
	case err := <-r.done:
		return err
	case <-time.After(30 * time.Second):
		return errors.New("the runner did not stop")
	}
}

func lastSeq(t *testing.T, log events.Log) uint64 {
	t.Helper()
	last, err := log.LastSequence(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return last
}

// waitFor waits until the runner has applied every event up to seq.
func waitFor(t *testing.T, r *runner.Runner, seq uint64) {
	t.Helper()
	within(t, fmt.Sprintf("runner did not reach sequence %d", seq), func(ctx context.Context) error { return r.WaitFor(ctx, seq) })
}

// waitSaved waits until the runner has saved a snapshot that holds every event up to seq; the
// manifest it wrote must say so.
func waitSaved(t *testing.T, r *runner.Runner, seq uint64) {
	t.Helper()
	within(t, fmt.Sprintf("no snapshot reached sequence %d", seq), func(ctx context.Context) error { return r.WaitSaved(ctx, seq) })
	if cp := savedCheckpoint(t, r); cp < seq {
		t.Fatalf("the runner saved sequence %d; the manifest says %d", seq, cp)
	}
}

// within runs wait under a deadline of a minute: a guard, so that a test on a machine too busy
// to finish fails with a message instead of hanging.
func within(t *testing.T, what string, wait func(context.Context) error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	if err := wait(ctx); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// reference builds a tally of the whole log from scratch, under a projection name of its own.
func reference(t *testing.T, log *natslog.Log) map[string]count {
	t.Helper()
	ref := newTally()
	r := runner.New(log, log.JetStream(), ref, runner.Options{Name: "reference"})
	run := start(r)
	waitFor(t, r, lastSeq(t, log))
	if err := run.stop(); err != nil {
		t.Fatal(err)
	}
	got, _ := ref.snapshot()
	return got
}

func savedCheckpoint(t *testing.T, r *runner.Runner) uint64 {
	t.Helper()
	cp, err := r.SavedCheckpoint(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return cp
}

func equalCounts(t *testing.T, got, want map[string]count) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d providers, want %d", len(got), len(want))
	}
	for p, w := range want {
		if got[p] != w {
			t.Errorf("provider %s: %+v, want %+v", p, got[p], w)
		}
	}
}

// TestOnlyTheWriterSaves runs a runner that does not save while another process writes the
// ledger (Options.Saves false): it writes nothing, and once it saves, its snapshot names every
// provider it holds, those loaded from the other's snapshot included, so that a runner loading
// it later rebuilds nothing and equals one that read the whole log.
func TestOnlyTheWriterSaves(t *testing.T) {
	log, l := ledger(t)
	l.Play(t, "../testdata/north-star-2025.jsonl")
	first := runner.New(log, log.JetStream(), newTally(), runner.Options{Name: "tally"})
	run := start(first)
	waitFor(t, first, lastSeq(t, log))
	if err := run.stop(); err != nil {
		t.Fatal(err)
	}
	saved := savedCheckpoint(t, first)

	l.Play(t, "../testdata/aurora-2025.jsonl")
	var mu sync.Mutex
	saves := false
	second := runner.New(log, log.JetStream(), newTally(), runner.Options{Name: "tally", Every: 1,
		Saves: func() bool { mu.Lock(); defer mu.Unlock(); return saves }})
	run = start(second)
	waitFor(t, second, lastSeq(t, log))
	if got := savedCheckpoint(t, second); got != saved {
		t.Fatalf("a runner that does not save moved the saved checkpoint from %d to %d", saved, got)
	}
	mu.Lock()
	saves = true
	mu.Unlock()
	if err := run.stop(); err != nil {
		t.Fatal(err)
	}
	if got := savedCheckpoint(t, second); got != lastSeq(t, log) {
		t.Fatalf("saved checkpoint %d after the runner took over saving, want %d", got, lastSeq(t, log))
	}
	third := newTally()
	r := runner.New(log, log.JetStream(), third, runner.Options{Name: "tally"})
	run = start(r)
	waitFor(t, r, lastSeq(t, log))
	if err := run.stop(); err != nil {
		t.Fatal(err)
	}
	got, applied := third.snapshot()
	if applied != 0 {
		t.Fatalf("a runner loading the last snapshot applied %d events again", applied)
	}
	equalCounts(t, got, reference(t, log))
}
