package runner_test

import (
	"errors"
	"testing"
	"time"

	"github.com/wsledger/wsledger/projections/runner"
)

// TestCleanStopSavesAndResumes: a runner stopped by its context saves a final snapshot, and the
// next one loads it and applies nothing again.
func TestCleanStopSavesAndResumes(t *testing.T) {
	log, l := ledger(t)
	playAll(t, l)
	last := lastSeq(t, log)
	opts := runner.Options{Name: "tally", Every: 1 << 20, Interval: time.Hour}

	first := newTally()
	r := runner.New(log, log.JetStream(), first, opts)
	run := start(r)
	waitFor(t, r, last)
	if err := run.stop(); err != nil {
		t.Fatal(err)
	}
	if cp := savedCheckpoint(t, r); cp != last {
		t.Fatalf("saved checkpoint %d, want %d", cp, last)
	}

	second := newTally()
	r2 := runner.New(log, log.JetStream(), second, opts)
	run = start(r2)
	waitFor(t, r2, last)
	if err := run.stop(); err != nil {
		t.Fatal(err)
	}
	got, applied := second.snapshot()
	if applied != 0 {
		t.Errorf("the resumed runner applied %d events again", applied)
	}
	want, _ := first.snapshot()
	equalCounts(t, got, want)
}

// TestCrashMidwayLosesNothingAndRepeatsNothing kills runners part way, while events are still
// being appended, and restarts them: the final counts, positions and checksums of every provider
// equal a rebuild from scratch, and each restart applies only what follows the last snapshot.
func TestCrashMidwayLosesNothingAndRepeatsNothing(t *testing.T) {
	log, l := ledger(t)
	l.Play(t, "../testdata/aurora-2025.jsonl")
	opts := runner.Options{Name: "tally", Every: 20, Interval: time.Hour}

	// First life: follows the log while the year is appended, and dies at its 57th event.
	crash := &crashAfter{tally: newTally(), n: 57}
	r := runner.New(log, log.JetStream(), crash, opts)
	run := start(r)
	l.Play(t, "../testdata/north-star-2025.jsonl")
	if err := run.wait(); !errors.Is(err, errCrash) {
		t.Fatalf("Run returned %v, want the crash", err)
	}
	if cp := savedCheckpoint(t, r); cp != 40 {
		t.Fatalf("saved checkpoint after the crash is %d, want 40 (the last multiple of 20 applied)", cp)
	}

	// Second life: resumes at 40 and dies again at its 100th event.
	crash = &crashAfter{tally: newTally(), n: 100}
	r = runner.New(log, log.JetStream(), crash, opts)
	if err := start(r).wait(); !errors.Is(err, errCrash) {
		t.Fatalf("Run returned %v, want the crash", err)
	}
	resumed := savedCheckpoint(t, r)
	if resumed != 40+80 {
		t.Fatalf("saved checkpoint after the second crash is %d, want 120", resumed)
	}

	// Third life: runs to the end.
	final := newTally()
	r = runner.New(log, log.JetStream(), final, opts)
	run = start(r)
	last := lastSeq(t, log)
	waitFor(t, r, last)
	if err := run.stop(); err != nil {
		t.Fatal(err)
	}
	got, applied := final.snapshot()
	if want := int(last - resumed); applied != want {
		t.Errorf("the last life applied %d events, want %d (those after checkpoint %d)", applied, want, resumed)
	}
	want := reference(t, log)
	equalCounts(t, got, want)
	var total uint64
	for _, c := range got {
		total += c.Events
	}
	if total != last {
		t.Errorf("%d events applied in all, the log holds %d", total, last)
	}
}
