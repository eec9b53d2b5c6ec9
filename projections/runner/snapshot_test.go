package runner_test

import (
	"errors"
	"testing"
	"time"

	"github.com/wsledger/wsledger/projections/runner"
)

// TestSnapshotsWhileApplyingLoseNothing: snapshots taken every millisecond while a runner catches
// up (each provider saved with the checkpoint it was at) let runners killed part way resume
// without losing or repeating an event.
func TestSnapshotsWhileApplyingLoseNothing(t *testing.T) {
	log, _ := ledger(t)
	appendMany(t, log, []string{"aurora-ws", "kenai", "north-star"}, 1500)
	opts := runner.Options{Name: "tally", Every: 1 << 20, Interval: time.Millisecond}
	for _, n := range []int{1000, 1500} {
		r := runner.New(log, log.JetStream(), &crashAfter{tally: newTally(), n: n}, opts)
		if err := start(r).wait(); !errors.Is(err, errCrash) {
			t.Fatalf("Run returned %v, want the crash", err)
		}
	}
	final := newTally()
	r := runner.New(log, log.JetStream(), final, opts)
	run := start(r)
	waitFor(t, r, lastSeq(t, log))
	if err := run.stop(); err != nil {
		t.Fatal(err)
	}
	got, _ := final.snapshot()
	equalCounts(t, got, reference(t, log))
}
