package demo_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/demo"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/store"
	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/projections"
)

// endOf is the end of a data set made on a later day for day d: d at demo.EndHour.
func endOf(d domain.Date) time.Time { return demo.EndOn(d, d.AddDays(1).Start()) }

func TestEndOn(t *testing.T) {
	day := domain.Date{Year: 2026, Month: time.March, Day: 2}
	at := func(h, m, s int) time.Time { return time.Date(2026, 3, 2, h, m, s, 0, domain.Anchorage) }
	for _, tt := range []struct {
		name     string
		now, end time.Time
	}{
		{"a past day ends at the end of its working day", at(0, 0, 0).AddDate(0, 0, 3), at(demo.EndHour, 0, 0)},
		{"today ends now, to the minute", at(10, 41, 59), at(10, 41, 0)},
		{"today after hours ends at the end of the working day", at(20, 0, 0), at(demo.EndHour, 0, 0)},
		{"just after midnight leaves the day's work room", at(0, 1, 0), at(0, 5, 0)},
	} {
		if got := demo.EndOn(day, tt.now); !got.Equal(tt.end) {
			t.Errorf("%s: EndOn(%s, %s) = %s, want %s", tt.name, day, tt.now, got, tt.end)
		}
	}
}

// TestCommandsHoldTheSameWorkForAnyEnd makes the data set for an end every 23 days over three
// years (every weekday, every place in the month and the quarter, holidays): each holds the same
// commands of each type, in time order, none after its end.
func TestCommandsHoldTheSameWorkForAnyEnd(t *testing.T) {
	var want map[string]int
	first := domain.Date{Year: 2025, Month: time.January, Day: 1}
	for d := first; d.Before(first.AddDays(3 * 365)); d = d.AddDays(23) {
		end := endOf(d)
		cmds := demo.Commands(end)
		byType := map[string]int{}
		for i, c := range cmds {
			if c.At.After(end) || (i > 0 && !c.At.After(cmds[i-1].At) && !c.At.Equal(cmds[i-1].At)) {
				t.Fatalf("end %s: command %d at %s is after the end or out of order", d, i, c.At)
			}
			byType[typeOf(c.JSON)]++
		}
		if want == nil {
			want = byType
		} else if !maps.Equal(byType, want) {
			t.Fatalf("the data set ending %s holds %v; the one ending %s holds %v", d, byType, first, want)
		}
	}
}

func typeOf(raw []byte) string {
	s := string(raw)
	i := strings.Index(s, `"type":"`)
	if i < 0 {
		return ""
	}
	typ, _, _ := strings.Cut(s[i+8:], `"`)
	return typ
}

// standing is where a provider stands at the data set's end: its obligations by kind and status,
// its headline numbers and its concerns.
type standing struct {
	ByKindAndStatus map[string]int
	Counts          projections.StatusCounts
	Overdue         int
	DueThisWeek     int
	Corrections     [2]int // open, overdue
	Concerns        projections.ConcernSummary
	Confirmation    projections.ConfirmationStatus
	ReviewsMet      bool
}

// TestSameStandingWhateverTheEnd loads the data set for three ends far apart: a Friday early in
// November, a Sunday that begins March after a short February, and the Wednesday that begins a
// quarter (another day of the week, of the month and of the quarter each). It finds each
// provider, as of each end, with the same
// obligations overdue, due soon, open, met on time and met late, of every kind; the same
// numbers overdue and due within seven days; the same concerns and performance-confirmation
// status.
func TestSameStandingWhateverTheEnd(t *testing.T) {
	policy := domain.DefaultPolicy()
	var want map[string]standing
	var wantEnd domain.Date
	for _, d := range []domain.Date{{Year: 2026, Month: time.November, Day: 6}, {Year: 2026, Month: time.March, Day: 1}, {Year: 2026, Month: time.July, Day: 1}} {
		end := endOf(d)
		clock := &demo.Clock{}
		st, err := store.Open(t.Context(), store.Options{DataDir: t.TempDir(), Now: clock.Now})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if _, err := demo.Load(t.Context(), st, clock, end, nil); err != nil {
			t.Fatal(err)
		}
		views := projections.New(st, policy)
		got := map[string]standing{}
		for _, p := range []string{"kenai", "northstar", "tongass"} {
			r, err := views.Replay(t.Context(), p, end, events.Recorded)
			if err != nil {
				t.Fatal(err)
			}
			dl, o := r.Deadlines(), r.Overview()
			s := standing{ByKindAndStatus: map[string]int{}, Counts: dl.Counts, Overdue: o.Overdue, DueThisWeek: o.DueThisWeek,
				Corrections: [2]int{o.OpenCorrections, o.OverdueCorrections}, Concerns: r.Concerns().Summary,
				Confirmation: o.Confirmation, ReviewsMet: o.Coverage.Met}
			for _, it := range dl.Items {
				s.ByKindAndStatus[it.Kind+" "+string(it.Status)]++
			}
			if s.Overdue == 0 || s.DueThisWeek == 0 || s.Counts.MetLate == 0 || s.Counts.Open == 0 {
				t.Errorf("%s as of %s: %+v; the demo should show overdue, due this week, late and open work", p, d, s)
			}
			got[p] = s
		}
		t.Logf("as of %s: %s", d, summary(got))
		if want == nil {
			want, wantEnd = got, d
			continue
		}
		for p, s := range got {
			if fmt.Sprint(s) != fmt.Sprint(want[p]) {
				t.Errorf("%s as of %s:\n%+v\nas of %s:\n%+v", p, d, s, wantEnd, want[p])
			}
		}
	}
}

func summary(s map[string]standing) string {
	var out []string
	for _, p := range slices.Sorted(maps.Keys(s)) {
		x := s[p]
		out = append(out, fmt.Sprintf("%s: %d overdue, %d due within 7 days, %d met on time, %d met late, %d open",
			p, x.Overdue, x.DueThisWeek, x.Counts.MetOnTime, x.Counts.MetLate, x.Counts.Open))
	}
	return strings.Join(out, "; ")
}
