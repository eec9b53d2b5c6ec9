package runner_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/events/natslog"
	"github.com/wsledger/wsledger/projections/runner"
)

// appendMany appends n events of each provider, in atomic batches that interleave the providers.
// The tally reads only envelopes, so every event is the same plain client call.
func appendMany(t *testing.T, log *natslog.Log, providers []string, n int) {
	t.Helper()
	const batch = 100
	for done := 0; done < n; done += batch {
		for _, p := range providers {
			drafts := make([]events.Draft, min(batch, n-done))
			for i := range drafts {
				drafts[i] = events.Draft{
					Type: events.TypeClientCallReturned, Version: 1, AggregateKind: "concern",
					AggregateID: fmt.Sprintf("0190a000-0000-5000-8000-%012d", done+i), OccurredAt: time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC),
					Payload: json.RawMessage(fmt.Sprintf(`{"concern_id":"K%d"}`, done+i)),
				}
			}
			req := events.AppendRequest{Provider: p, Actor: events.Actor{StaffID: "cm1", Role: events.RoleCaseManager}, Events: drafts}
			if _, err := log.Append(t.Context(), req); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestCatchUpSpacesSnapshots: a runner left at the default Every, catching up with a long log,
// snapshots as its checkpoint grows fourfold instead of every 1000 events, and no sooner than
// Interval after the last one; killed part way, the next runner resumes from that snapshot and
// reaches the same counts as a rebuild; once caught up it snapshots every 1000 events again.
func TestCatchUpSpacesSnapshots(t *testing.T) {
	log, _ := ledger(t)
	providers := []string{"aurora-ws", "north-star", "kenai"}
	appendMany(t, log, providers, 1400)
	tip := lastSeq(t, log)

	// Within the hour of its Interval the catch-up saves nothing: a crash at the 3500th event
	// leaves nothing saved.
	r := runner.New(log, log.JetStream(), &crashAfter{tally: newTally(), n: 3500}, runner.Options{Name: "tally", Interval: time.Hour})
	if err := start(r).wait(); !errors.Is(err, errCrash) {
		t.Fatalf("Run returned %v, want the crash", err)
	}
	if cp := savedCheckpoint(t, r); cp != 0 {
		t.Fatalf("saved checkpoint after a crash within the interval is %d, want 0", cp)
	}

	// With a short Interval: a snapshot at 1000; the next waits for three times as many events,
	// until 4000, so the crash at the 3500th event leaves 1000 saved, where one every 1000
	// events would have left 3000.
	r = runner.New(log, log.JetStream(), &crashAfter{tally: newTally(), n: 3500}, runner.Options{Name: "tally", Interval: time.Millisecond})
	if err := start(r).wait(); !errors.Is(err, errCrash) {
		t.Fatalf("Run returned %v, want the crash", err)
	}
	if cp := savedCheckpoint(t, r); cp != 1000 {
		t.Fatalf("saved checkpoint after the crash is %d, want 1000", cp)
	}

	final := newTally()
	r = runner.New(log, log.JetStream(), final, runner.Options{Name: "tally", Interval: time.Hour})
	run := start(r)
	waitFor(t, r, tip)
	if _, applied := final.snapshot(); uint64(applied) != tip-1000 {
		t.Errorf("the resumed runner applied %d events, want the %d after the snapshot", applied, tip-1000)
	}

	appendMany(t, log, providers[:1], 1500)
	last := lastSeq(t, log)
	waitFor(t, r, last)
	if cp := savedCheckpoint(t, r); cp <= tip || last-cp >= 1000 {
		t.Errorf("caught up at %d and following the log to %d, the saved checkpoint is %d: want one within the last 1000 events", tip, last, cp)
	}
	if err := run.stop(); err != nil {
		t.Fatal(err)
	}
	got, _ := final.snapshot()
	equalCounts(t, got, reference(t, log))
}

// TestCatchUpWaitsForIntervalUntilCaughtUp: left at the default Every, a runner catching up takes
// no interval snapshots, however short the interval; once caught up, the interval saves what it
// applied without a further event.
func TestCatchUpWaitsForIntervalUntilCaughtUp(t *testing.T) {
	log, _ := ledger(t)
	appendMany(t, log, []string{"aurora-ws", "north-star"}, 2100)
	tip := lastSeq(t, log)
	opts := runner.Options{Name: "tally", Interval: time.Millisecond}

	r := runner.New(log, log.JetStream(), &crashAfter{tally: newTally(), n: 3500}, opts)
	if err := start(r).wait(); !errors.Is(err, errCrash) {
		t.Fatalf("Run returned %v, want the crash", err)
	}
	if cp := savedCheckpoint(t, r); cp != 1000 {
		t.Fatalf("saved checkpoint after the crash is %d, want 1000 (the catch-up's only snapshot)", cp)
	}

	r = runner.New(log, log.JetStream(), newTally(), opts)
	run := start(r)
	defer run.stop()
	waitFor(t, r, tip)
	waitSaved(t, r, tip)
}
