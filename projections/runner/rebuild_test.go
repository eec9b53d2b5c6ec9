package runner_test

import (
	"testing"
	"time"

	"github.com/wsledger/wsledger/projections/runner"
)

// TestIntervalSavesQuietEvents: events fewer than Every are saved once Interval has passed.
func TestIntervalSavesQuietEvents(t *testing.T) {
	log, l := ledger(t)
	l.Play(t, "../testdata/aurora-2025.jsonl")
	last := lastSeq(t, log)
	r := runner.New(log, log.JetStream(), newTally(), runner.Options{Name: "tally", Every: 1 << 20, Interval: 20 * time.Millisecond})
	run := start(r)
	defer run.stop()
	waitFor(t, r, last)
	waitSaved(t, r, last)
}

// TestSavedStateIsRebuiltWhenItCannotServe: saved state of another version, damaged saved state
// and a dropped projection all start again from the first event and reach the same state.
func TestSavedStateIsRebuiltWhenItCannotServe(t *testing.T) {
	log, l := ledger(t)
	playAll(t, l)
	last := lastSeq(t, log)
	want := reference(t, log)

	saveAll := func(version int) {
		r := runner.New(log, log.JetStream(), newTally(), runner.Options{Name: "tally", Version: version})
		run := start(r)
		waitFor(t, r, last)
		if err := run.stop(); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name   string
		before func(*runner.Runner)
	}{
		{"saved by another version", func(*runner.Runner) { saveAll(1) }},
		{"damaged", func(*runner.Runner) {
			saveAll(2)
			store, err := log.JetStream().ObjectStore(t.Context(), runner.DefaultBucket)
			if err == nil {
				_, err = store.PutBytes(t.Context(), "tally/providers/north-star", []byte("{not json"))
			}
			if err != nil {
				t.Fatal(err)
			}
		}},
		{"dropped", func(r *runner.Runner) {
			saveAll(2)
			if err := r.Drop(t.Context()); err != nil {
				t.Fatal(err)
			}
			if cp := savedCheckpoint(t, r); cp != 0 {
				t.Fatalf("saved checkpoint after Drop is %d", cp)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := newTally()
			r := runner.New(log, log.JetStream(), target, runner.Options{Name: "tally", Version: 2})
			tt.before(r)
			run := start(r)
			waitFor(t, r, last)
			if err := run.stop(); err != nil {
				t.Fatal(err)
			}
			got, applied := target.snapshot()
			if uint64(applied) != last {
				t.Errorf("applied %d events, want all %d", applied, last)
			}
			equalCounts(t, got, want)
		})
	}
}
