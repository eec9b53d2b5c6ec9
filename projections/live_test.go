package projections

import (
	"bytes"
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/projections/internal/fixture"
	"github.com/wsledger/wsledger/projections/runner"
)

// lineOf returns the index of the first fixture line that contains s.
func lineOf(t *testing.T, path, s string) int {
	t.Helper()
	i := slices.IndexFunc(fixture.Lines(t, path), func(l []byte) bool { return bytes.Contains(l, []byte(s)) })
	if i < 0 {
		t.Fatalf("no line of %s contains %q", path, s)
	}
	return i
}

// TestLateArrivalUpdatesTheViews records, on 8 December, a file review that happened on 24
// November: November's coverage and its deadline change from short and overdue to met on time.
func TestLateArrivalUpdatesTheViews(t *testing.T) {
	log, clock := fixture.Open(t)
	l := fixture.NewLedger(log, clock)
	late := lineOf(t, northStarFile, `"review_id":"FR-2025-11-3"`)
	l.PlayLines(t, northStarFile, 0, late)
	v, r := running(t, log, runner.Options{})
	watch := v.Watch(t.Context())
	today := alaska(t, "2025-12-08T12:00:00")

	before := november(t, v, today)
	if before.coverage.Reviewed != 2 || before.status != domain.StatusOverdue {
		t.Fatalf("before the late review: %d reviewed, %s; want 2 and overdue", before.coverage.Reviewed, before.status)
	}
	l.PlayLines(t, northStarFile, late, late+1)
	catchUp(t, log, r)
	select {
	case p := <-watch:
		if p != northStar {
			t.Errorf("Watch sent %q, want %q", p, northStar)
		}
	case <-time.After(10 * time.Second):
		t.Error("Watch sent nothing for the late review")
	}
	after := november(t, v, today)
	if after.coverage.Reviewed != 3 || after.status != domain.StatusMetOnTime {
		t.Errorf("after the late review: %d reviewed, %s; want 3 and met on time", after.coverage.Reviewed, after.status)
	}
	if got := after.coverage.Reviews[2]; !got.At.Equal(alaska(t, "2025-11-24T14:00:00")) || !got.RecordedAt.Equal(alaska(t, "2025-12-08T10:00:00")) {
		t.Errorf("the late review shows occurred %s, recorded %s", got.At, got.RecordedAt)
	}
}

type monthState struct {
	coverage MonthCoverage
	status   domain.Status
}

func november(t *testing.T, v *Views, now time.Time) monthState {
	t.Helper()
	c, err := v.Coverage(northStar)
	if err != nil {
		t.Fatal(err)
	}
	d, err := v.Deadlines(northStar, now)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(c.Months, func(m MonthCoverage) bool { return m.Month == "2025-11" })
	if i < 0 {
		t.Fatal("no coverage for November")
	}
	return monthState{c.Months[i], deadlineStatus(d, "monthly_file_review:2025-11")}
}

// TestReadersDuringApply reads every view from several goroutines while the runner applies the
// whole fixture (run with -race), and checks that Watch named every provider that changed.
func TestReadersDuringApply(t *testing.T) {
	log, clock := fixture.Open(t)
	v, r := running(t, log, runner.Options{Every: 25})
	ctx, cancel := context.WithCancel(t.Context())
	watch := v.Watch(ctx)
	changed := map[string]bool{}
	var readers sync.WaitGroup
	for range 4 {
		readers.Go(func() {
			// Read once after each event the runner applies, however fast or slow it is, until
			// the test ends.
			for seen := uint64(0); r.WaitFor(ctx, seen+1) == nil; {
				seen = r.Checkpoint()
				for _, p := range v.Providers() {
					_, _ = v.Overview(p, goldenNow)
					_, _ = v.Coverage(p)
				}
				_ = v.Statewide(goldenNow)
			}
		})
	}
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		for p := range watch {
			changed[p] = true
			if changed[northStar] && changed[aurora] {
				return
			}
		}
	}()
	l := fixture.NewLedger(log, clock)
	l.Play(t, northStarFile)
	l.Play(t, auroraFile)
	catchUp(t, log, r)
	// The last change is notified after the runner applied it: wait for the watch to pass it on,
	// a minute at most (a guard against a lost notification, not a measure of speed).
	select {
	case <-watched:
	case <-time.After(time.Minute):
	}
	cancel()
	readers.Wait()
	<-watched
	if !changed[northStar] || !changed[aurora] {
		t.Errorf("Watch named %v; want both providers", changed)
	}
}
