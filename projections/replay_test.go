package projections

import (
	"bytes"
	"context"
	"iter"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/projections/internal/fixture"
	"github.com/wsledger/wsledger/projections/runner"
)

// readsSeen is the real log, noting the provider of every event its Read yields.
type readsSeen struct {
	events.Log
	mu        sync.Mutex
	providers map[string]int
}

func (r *readsSeen) Read(ctx context.Context, opts events.ReadOptions) iter.Seq2[events.Envelope, error] {
	return func(yield func(events.Envelope, error) bool) {
		for e, err := range r.Log.Read(ctx, opts) {
			r.mu.Lock()
			r.providers[e.Provider]++
			r.mu.Unlock()
			if !yield(e, err) {
				return
			}
		}
	}
}

// alaska reads a local time in Anchorage.
func alaska(t *testing.T, s string) time.Time {
	t.Helper()
	at, err := fixture.ParseTime(s)
	if err != nil {
		t.Fatal(err)
	}
	return at
}

// TestReplayAsOfBothClocks replays the fixture as of instants on both clocks. The fixture records
// some events weeks after they occurred: concern K-05 (June, recorded 8 July) and November's third
// file review (24 November, recorded 8 December). What the ledger knew at an instant leaves them
// out; what had happened by it includes them. The replays read only the provider's own events.
func TestReplayAsOfBothClocks(t *testing.T) {
	log, _ := playFixtures(t)
	seen := &readsSeen{Log: log, providers: map[string]int{}}
	v := New(seen, domain.DefaultPolicy())
	tests := []struct {
		name  string
		clock events.Clock
		at    string
		check func(t *testing.T, r *Replay)
	}{
		{"recorded-2025-07-01", events.Recorded, "2025-07-01T12:00:00", func(t *testing.T, r *Replay) {
			if hasConcern(r.Concerns(), "K-05") {
				t.Error("concern K-05 was recorded on 8 July; the ledger did not know it on 1 July")
			}
		}},
		{"occurred-2025-07-01", events.Occurred, "2025-07-01T12:00:00", func(t *testing.T, r *Replay) {
			if !hasConcern(r.Concerns(), "K-05") {
				t.Error("concern K-05 happened in June; it belongs to what had happened by 1 July")
			}
			if s := deadlineStatus(r.Deadlines(), "wsta_concern_notice:K-05"); s != domain.StatusOverdue {
				t.Errorf("WSTA notice of K-05 is %s on 1 July; WSTA heard of it only on 8 July", s)
			}
		}},
		{"recorded-2025-12-03", events.Recorded, "2025-12-03T12:00:00", func(t *testing.T, r *Replay) {
			if s := deadlineStatus(r.Deadlines(), "monthly_file_review:2025-11"); s != domain.StatusOverdue {
				t.Errorf("November's file review is %s; on 3 December the ledger knew of 2 reviews of 3", s)
			}
		}},
		{"occurred-2025-12-03", events.Occurred, "2025-12-03T12:00:00", func(t *testing.T, r *Replay) {
			if s := deadlineStatus(r.Deadlines(), "monthly_file_review:2025-11"); s != domain.StatusMetOnTime {
				t.Errorf("November's file review is %s; its third review happened on 24 November", s)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := v.Replay(t.Context(), northStar, alaska(t, tt.at), tt.clock)
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, r)
			for _, name := range []string{"deadlines", "coverage", "concerns", "overview"} {
				golden(t, northStar+".asof-"+tt.name+"."+name, render(t, replayViews(r)[name]))
			}
		})
	}
	if got := slices.Sorted(maps.Keys(seen.providers)); !slices.Equal(got, []string{northStar}) {
		t.Errorf("the replays read events of %v; they may read only %s's", got, northStar)
	}
}

// TestReplayAfterTheLastEventEqualsTheLiveViews: replaying the whole history, on either clock,
// gives the live views byte for byte.
func TestReplayAfterTheLastEventEqualsTheLiveViews(t *testing.T) {
	log, _ := playFixtures(t)
	live, _ := running(t, log, runner.Options{})
	want := liveViews(t, live, northStar, goldenNow).rendered(t)
	for _, clock := range []events.Clock{events.Recorded, events.Occurred} {
		r, err := live.Replay(t.Context(), northStar, goldenNow, clock)
		if err != nil {
			t.Fatal(err)
		}
		for name, got := range replayViews(r).rendered(t) {
			if !bytes.Equal(got, want[name]) {
				t.Errorf("%s on the %s clock differs from the live view:\n%s", name, clock, firstDifference(got, want[name]))
			}
		}
	}
}

func hasConcern(c Concerns, id string) bool {
	return slices.ContainsFunc(c.Items, func(k ConcernStatus) bool { return k.ConcernID == id })
}

func deadlineStatus(d Deadlines, id string) domain.Status {
	for _, i := range d.Items {
		if i.ID == id {
			return i.Status
		}
	}
	return ""
}
