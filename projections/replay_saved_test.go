package projections

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/projections/internal/fixture"
	"github.com/wsledger/wsledger/projections/runner"
)

// TestReplayFromSavedStates keeps the views with a runner while the fixtures are played, so that
// it saves states through the year (the latest, and one kept a month), then replays each
// provider on both clocks at the first instant of every month, at instants around the fixture's
// late entries and at random ones. Each replay must render every view as a replay from the first
// event does (one with no saved states); those after the last event must start from the latest
// saved state, and at least 20 others from a saved state. A saved state whose last event is not
// the log's is refused, and the replay reads from the first event instead.
func TestReplayFromSavedStates(t *testing.T) {
	log, clock := fixture.Open(t)
	v, r := running(t, log, runner.Options{Every: 5, Interval: time.Hour})
	l := fixture.NewLedger(log, clock)
	l.Play(t, northStarFile)
	l.Play(t, auroraFile)
	catchUp(t, log, r)
	if err := r.WaitSaved(t.Context(), r.Checkpoint()); err != nil {
		t.Fatal(err)
	}
	fromFirst := New(log, domain.DefaultPolicy())

	var instants []time.Time
	for m := (domain.Month{Year: 2025, Month: time.January}); m.Year < 2026 || m.Month <= time.February; m = m.Next() {
		instants = append(instants, m.First().Start())
	}
	for _, s := range []string{"2025-06-30T17:00:00", "2025-07-08T09:00:00", "2025-07-20T12:00:00", "2025-11-24T12:00:00", "2025-12-08T16:00:00", "2025-12-20T12:00:00"} {
		instants = append(instants, alaska(t, s))
	}
	rng := rand.New(rand.NewPCG(7, 11))
	first, last := alaska(t, "2025-01-02T08:00:00"), goldenNow
	for range 12 {
		instants = append(instants, first.Add(time.Duration(rng.Int64N(int64(last.Sub(first))))))
	}
	instants = append(instants, goldenNow)

	fromSaved := map[string]int{}
	for _, provider := range []string{"north-star", "aurora-ws"} {
		for _, clock := range []events.Clock{events.Recorded, events.Occurred} {
			for _, at := range instants {
				name := fmt.Sprintf("%s %s %s", provider, clock, at.In(domain.Anchorage).Format("2006-01-02T15:04"))
				want, errWant := fromFirst.Replay(t.Context(), provider, at, clock)
				got, errGot := v.Replay(t.Context(), provider, at, clock)
				if errWant != nil || errGot != nil {
					if events.ErrorCode(errWant) != events.ErrorCode(errGot) || events.ErrorCode(errGot) != events.NotFound {
						t.Fatalf("%s: from the first event %v, from a saved state %v", name, errWant, errGot)
					}
					continue
				}
				if want.from != 0 {
					t.Fatalf("%s: views without a runner started from sequence %d", name, want.from)
				}
				wantViews, gotViews := replayViews(want).rendered(t), replayViews(got).rendered(t)
				for view, w := range wantViews {
					if g := gotViews[view]; !bytes.Equal(g, w) {
						t.Errorf("%s, %s: from the saved state at sequence %d\n%s", name, view, got.from, firstDifference(g, w))
					}
				}
				switch {
				case got.from == 0:
				case at.Equal(goldenNow):
					fromSaved["latest"]++
				default:
					fromSaved["month"]++
				}
			}
		}
	}
	t.Logf("replays from a saved state: %v", fromSaved)
	if fromSaved["latest"] != 4 || fromSaved["month"] < 20 {
		t.Errorf("replays from saved states: %v; want every replay after the year from one, and at least 20 others", fromSaved)
	}

	saved := v.savedBefore(t.Context(), "north-star", goldenNow)
	if saved == nil {
		t.Fatal("no saved state of north-star")
	}
	saved.st.Chain.Hash = "0000000000000000000000000000000000000000000000000000000000000000"
	if _, err := v.replay(t.Context(), saved, "north-star", goldenNow, events.Recorded); !errors.Is(err, errSavedStateDiffers) {
		t.Errorf("a saved state whose last hash is not the log's: %v", err)
	}
}

// TestSavedStateHoldsOnlyBefore: a saved state serves a replay only when every event it holds was
// recorded and occurred at or before the replay's instant. The chain check alone would not see
// a state whose last event is a late entry (occurred long before) while an earlier one occurred
// after the instant.
func TestSavedStateHoldsOnlyBefore(t *testing.T) {
	at := time.Date(2025, 7, 20, 20, 0, 0, 0, time.UTC)
	tests := []struct {
		name               string
		recorded, occurred time.Time
		events             uint64
		want               bool
	}{
		{"both before", at.Add(-time.Hour), at.Add(-2 * time.Hour), 9, true},
		{"both at the instant", at, at, 9, true},
		{"recorded after", at.Add(time.Second), at.Add(-time.Hour), 9, false},
		{"an event occurred after, the last one a late entry", at.Add(-time.Hour), at.Add(time.Minute), 9, false},
		{"no events", time.Time{}, time.Time{}, 0, false},
		{"saved before the occurred instants were kept", at.Add(-time.Hour), time.Time{}, 9, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newModel("north-star", domain.DefaultPolicy())
			m.st.Chain.Events, m.st.Chain.LastRecorded, m.st.Chain.LastOccurred = tt.events, tt.recorded, tt.occurred
			data, err := m.marshal()
			if err != nil {
				t.Fatal(err)
			}
			if got := holdsOnlyBefore(data, at); got != tt.want {
				t.Errorf("holdsOnlyBefore = %v, want %v", got, tt.want)
			}
		})
	}
}
