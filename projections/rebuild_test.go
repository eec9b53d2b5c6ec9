package projections

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/projections/internal/fixture"
	"github.com/wsledger/wsledger/projections/runner"
)

// crashing fails the n-th Apply, as a process that dies while applying: its runner stops at once
// and saves nothing.
type crashing struct {
	runner.Target
	n, calls int
}

var errCrash = errors.New("simulated crash")

func (c *crashing) Apply(e events.Envelope) error {
	if c.calls++; c.calls == c.n {
		return errCrash
	}
	return c.Target.Apply(e)
}

// background runs a runner until stop; stop returns what Run returned.
func background(r *runner.Runner) (stop func() error, done <-chan error) {
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan error, 1)
	go func() { ch <- r.Run(ctx) }()
	return func() error { cancel(); return <-ch }, ch
}

// everything renders every view of every provider at goldenNow, and the statewide view.
func everything(t *testing.T, v *Views) map[string][]byte {
	t.Helper()
	out := map[string][]byte{"statewide": render(t, v.Statewide(goldenNow))}
	for _, p := range v.Providers() {
		for name, b := range liveViews(t, v, p, goldenNow).rendered(t) {
			out[p+"."+name] = b
		}
	}
	return out
}

// savedStates reads every provider's saved state from the object store.
func savedStates(t *testing.T, js jetstream.JetStream, providers ...string) map[string][]byte {
	t.Helper()
	store, err := js.ObjectStore(t.Context(), runner.DefaultBucket)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, p := range providers {
		data, err := store.GetBytes(t.Context(), RunnerName+"/providers/"+p)
		if err != nil {
			t.Fatal(err)
		}
		var saved struct{ State json.RawMessage }
		if err := json.Unmarshal(data, &saved); err != nil {
			t.Fatal(err)
		}
		out[p] = saved.State
	}
	return out
}

// TestRebuildEqualsIncremental builds the views incrementally over three lives of the runner (one
// following the log as it is written and stopping cleanly, one resuming and dying part way, one
// resuming again), then drops them and rebuilds from the first event: every rendered view and
// every saved state is byte for byte the same, and the views of the year-long fixture and the
// statewide view equal the reviewed golden files (rewrite them with -update).
func TestRebuildEqualsIncremental(t *testing.T) {
	log, clock := fixture.Open(t)
	l := fixture.NewLedger(log, clock)
	l.Play(t, auroraFile)
	js := log.JetStream()
	opts := runner.Options{Every: 13, Interval: time.Hour}

	// First life: follows 80 lines as they are appended, then stops with a final snapshot.
	v := New(log, domain.DefaultPolicy())
	r := v.Runner(js, opts)
	stop, _ := background(r)
	l.PlayLines(t, northStarFile, 0, 80)
	catchUp(t, log, r)
	if err := stop(); err != nil {
		t.Fatal(err)
	}

	// Sixty lines are appended while no runner runs. The second life resumes, follows thirty
	// more lines and dies at its 50th event, after some snapshots and before others.
	l.PlayLines(t, northStarFile, 80, 140)
	v = New(log, domain.DefaultPolicy())
	r = runner.New(log, js, &crashing{Target: target{v}, n: 50}, runner.Options{Name: RunnerName, Version: modelVersion, Every: 13, Interval: time.Hour})
	_, died := background(r)
	l.PlayLines(t, northStarFile, 140, 170)
	select {
	case err := <-died:
		if !errors.Is(err, errCrash) {
			t.Fatalf("second life ended with %v, want the crash", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("second life did not die")
	}
	// It resumed at 100 (the 20 events of the first fixture and 80 lines) and died at 150, so its
	// last snapshot lies between: the third life must apply again what the second one lost.
	if saved, err := r.SavedCheckpoint(t.Context()); err != nil || saved <= 100 || saved >= 150 {
		t.Fatalf("saved checkpoint after the crash is %d (%v), want one between 100 and 150", saved, err)
	}

	// Third life: resumes from the last snapshot and follows the rest of the year.
	v = New(log, domain.DefaultPolicy())
	r = v.Runner(js, opts)
	stop, _ = background(r)
	l.PlayLines(t, northStarFile, 170, -1)
	catchUp(t, log, r)
	incremental := everything(t, v)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	incrementalStates := savedStates(t, js, aurora, northStar)

	// Drop and rebuild from the first event.
	if err := r.Drop(t.Context()); err != nil {
		t.Fatal(err)
	}
	v = New(log, domain.DefaultPolicy())
	r = v.Runner(js, opts)
	stop, _ = background(r)
	catchUp(t, log, r)
	rebuilt := everything(t, v)
	if err := stop(); err != nil {
		t.Fatal(err)
	}

	if len(rebuilt) != len(incremental) {
		t.Fatalf("%d rebuilt views, %d incremental ones", len(rebuilt), len(incremental))
	}
	for name, want := range incremental {
		if got := rebuilt[name]; !bytes.Equal(got, want) {
			t.Errorf("%s: rebuilt differs from incremental:\n%s", name, firstDifference(got, want))
		}
	}
	for p, want := range incrementalStates {
		if got := savedStates(t, js, p)[p]; !bytes.Equal(got, want) {
			t.Errorf("saved state of %s: rebuilt differs from incremental", p)
		}
	}
	for name, got := range rebuilt {
		if name != "statewide" && !bytes.HasPrefix([]byte(name), []byte(northStar+".")) {
			continue
		}
		golden(t, name, got)
	}
}
