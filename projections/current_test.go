package projections

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/projections/internal/fixture"
)

// generatedViews applies a generated history of one provider (from 4 January 2021, 40 events a
// business day) to new views, and returns them with the events it did not apply.
func generatedViews(t *testing.T, n, applied int) (*Views, []events.Envelope) {
	t.Helper()
	h, err := fixture.Generate([]string{"gen"}, n, 3)
	if err != nil {
		t.Fatal(err)
	}
	v := New(nil, domain.DefaultPolicy())
	applyAll(t, v, h[:applied])
	return v, h[applied:]
}

func applyAll(t *testing.T, v *Views, h []events.Envelope) {
	t.Helper()
	for _, e := range h {
		if err := (target{v}).Apply(e); err != nil {
			t.Fatal(err)
		}
	}
}

// fresh computes a provider's deadlines and overview at now from the obligations its book
// derives from scratch (domain.Book.Obligations), counting over the whole list, as every request
// did before the views kept an agenda.
func fresh(t *testing.T, v *Views, provider string, now time.Time) (Deadlines, Overview) {
	t.Helper()
	type both struct {
		d Deadlines
		o Overview
	}
	b, err := read(v, provider, func(m *model) both {
		list := m.st.Book.Obligations(now)
		index := map[string]domain.Obligation{}
		d := Deadlines{Provider: m.st.Provider, At: now.UTC(), Items: []Deadline{}}
		for _, o := range list {
			index[o.ID] = o
			it := newDeadline(o, now, m.policy)
			d.Counts.add(it.Status)
			d.Items = append(d.Items, it)
		}
		d.Matched = len(d.Items)
		c := m.st.Chain
		o := Overview{
			Provider: m.st.Provider, Name: m.st.Name, Region: m.st.Region, At: now.UTC(),
			Events: c.Events, LastRecordedAt: c.LastRecorded, Intact: c.Break == nil, Break: c.Break,
			Confirmation: m.accuracy().Status, Overdue: d.Counts.Overdue, LateEntries: m.st.LateEntries[domain.DateOf(now).MonthOf().String()],
		}
		month := domain.DateOf(now).MonthOf().String()
		fc := m.st.Book.FileReviewCoverage(month, now)
		o.Coverage = CoverageSummary{Month: month, Reported: fc.Reported, Caseload: fc.Caseload, Required: fc.Required,
			Reviewed: fc.Reviewed, Remaining: fc.Remaining(), Met: fc.Met, Unreviewed: fc.Unreviewed()}
		for _, f := range m.st.Findings {
			if f.Negative && !f.At.After(now) {
				switch index[domain.ObligationCorrection+":"+f.ID].Status(now, m.policy) {
				case domain.StatusMetOnTime, domain.StatusMetLate:
				case domain.StatusOverdue:
					o.OpenCorrections, o.OverdueCorrections = o.OpenCorrections+1, o.OverdueCorrections+1
				default:
					o.OpenCorrections++
				}
			}
		}
		for id, k := range m.st.Concerns {
			if k.ReceivedAt.After(now) {
				continue
			}
			if call, ok := index[domain.ObligationCallReturn+":"+id]; ok && call.MetAt.IsZero() {
				o.AwaitingCallback++
			}
			if _, resolved := index[domain.ObligationWSTANotice+":"+id]; !resolved {
				o.OpenConcerns++
			}
		}
		for _, it := range d.Items {
			if it.Kind == domain.ObligationWSTANotice && it.MetAt.IsZero() {
				o.NoticesAwaitingEmail++
			}
			if it.Status != domain.StatusOverdue && it.Status != domain.StatusWaitingForDPA && it.MetAt.IsZero() && it.Due.Before(now.Add(dueThisWeek)) {
				o.DueThisWeek++
			}
		}
		return both{d, o}
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.d, b.o
}

func jsonOf(t *testing.T, x any) string {
	t.Helper()
	b, err := json.Marshal(x)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestCurrentMatchesFresh walks the clock through three months, forward with a stride that falls
// at every hour of the day, with a look back now and then, and compares the kept deadlines and
// overview with ones computed afresh at each instant.
func TestCurrentMatchesFresh(t *testing.T) {
	v, _ := generatedViews(t, 1500, 1500)
	start := time.Date(2021, 1, 1, 0, 0, 0, 0, domain.Anchorage)
	for i, at := 0, start; at.Before(start.AddDate(0, 3, 0)); i, at = i+1, at.Add(29*time.Hour+17*time.Minute) {
		// Instants just before the kept one are shared while nothing changed since.
		probes := []time.Time{at, at.Add(time.Nanosecond), at.Add(-time.Millisecond), at.Add(-time.Minute), at.Add(-time.Hour)}
		if i%5 == 0 {
			probes = append(probes, at.Add(-3*24*time.Hour)) // an instant before the kept one
		}
		for _, now := range probes {
			wantD, wantO := fresh(t, v, "gen", now)
			d, err := v.Deadlines("gen", now)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := jsonOf(t, d), jsonOf(t, wantD); got != want {
				t.Fatalf("deadlines at %v differ from fresh ones", now)
			}
			o, err := v.Overview("gen", now)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := jsonOf(t, o), jsonOf(t, wantO); got != want {
				t.Fatalf("overview at %v:\n%s\nwant\n%s", now, got, want)
			}
		}
	}
}

// TestCurrentFollowsEvents reads at one instant, applies more events and reads again: the
// second read shows them.
func TestCurrentFollowsEvents(t *testing.T) {
	v, rest := generatedViews(t, 3000, 1000)
	now := time.Date(2021, 6, 1, 12, 0, 0, 0, domain.Anchorage)
	for len(rest) > 0 {
		before, err := v.Overview("gen", now)
		if err != nil {
			t.Fatal(err)
		}
		n := min(len(rest), 400)
		applyAll(t, v, rest[:n])
		rest = rest[n:]
		wantD, wantO := fresh(t, v, "gen", now)
		o, _ := v.Overview("gen", now)
		d, _ := v.Deadlines("gen", now)
		if o.Events != before.Events+uint64(n) {
			t.Errorf("overview shows %d events after %d more than %d", o.Events, n, before.Events)
		}
		if jsonOf(t, o) != jsonOf(t, wantO) || jsonOf(t, d) != jsonOf(t, wantD) {
			t.Fatalf("after %d more events the views differ from fresh ones", n)
		}
	}
}

// TestDeadlinePages reads every page of each filter and compares their concatenation with the
// whole list filtered the same way.
func TestDeadlinePages(t *testing.T) {
	v, _ := generatedViews(t, 3000, 3000)
	now := time.Date(2021, 6, 10, 15, 0, 0, 0, domain.Anchorage) // after the history: some unmet
	all, err := v.Deadlines("gen", now)
	if err != nil {
		t.Fatal(err)
	}
	unmet := func(d Deadline) bool { return d.MetAt.IsZero() }
	tests := []struct {
		q    DeadlineQuery
		want func(d Deadline) bool
	}{
		{DeadlineQuery{}, nil},
		{DeadlineQuery{Status: DeadlinesAll, Limit: 1}, nil},
		{DeadlineQuery{Status: DeadlinesUnmet, Limit: 7}, unmet},
		{DeadlineQuery{Status: DeadlinesMet, Limit: 50}, func(d Deadline) bool { return !unmet(d) }},
		{DeadlineQuery{Status: "overdue", Limit: 3}, func(d Deadline) bool { return d.Status == domain.StatusOverdue }},
		{DeadlineQuery{Status: "met_on_time", Limit: 400}, func(d Deadline) bool { return d.Status == domain.StatusMetOnTime }},
		{DeadlineQuery{Status: "open"}, func(d Deadline) bool { return d.Status == domain.StatusOpen }},
		{DeadlineQuery{Kind: domain.ObligationCorrection, Limit: 9}, func(d Deadline) bool { return d.Kind == domain.ObligationCorrection }},
		{DeadlineQuery{Owner: ManagementOwner, Limit: 4}, func(d Deadline) bool { return d.Owner == "" }},
		{DeadlineQuery{Status: DeadlinesUnmet, Owner: "cm1", Limit: 2}, func(d Deadline) bool { return unmet(d) && d.Owner == "cm1" }},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%+v", tt.q), func(t *testing.T) {
			// With every status asked for, the unmet come first.
			var want []Deadline
			everyStatus := tt.q.Status == "" || tt.q.Status == DeadlinesAll
			for _, met := range []bool{false, true} {
				for _, d := range all.Items {
					if (!everyStatus || unmet(d) != met) && (tt.want == nil || tt.want(d)) {
						want = append(want, d)
					}
				}
				if !everyStatus {
					break
				}
			}
			var got []Deadline
			q, pages := tt.q, 0
			for {
				p, err := v.DeadlinePage("gen", now, q)
				if err != nil {
					t.Fatal(err)
				}
				pages++
				pageJSON, err := p.AppendJSON(nil)
				if err != nil {
					t.Fatal(err)
				}
				if got, err := v.AppendDeadlinePage([]byte("x"), "gen", now, q); err != nil || string(got) != "x"+string(pageJSON) {
					t.Fatalf("page %d: AppendDeadlinePage differs from DeadlinePage's JSON (%v):\n%s\nwant\n%s", pages, err, got, pageJSON)
				}
				if p.Counts != all.Counts || p.Matched != len(want) {
					t.Fatalf("page %d: counts %+v, matched %d; want %+v, %d", pages, p.Counts, p.Matched, all.Counts, len(want))
				}
				if len(p.Items) > max(q.Limit, 1) && q.Limit > 0 || q.Limit == 0 && len(p.Items) > DefaultDeadlineLimit {
					t.Fatalf("page %d holds %d items, limit %d", pages, len(p.Items), q.Limit)
				}
				got = append(got, p.Items...)
				if p.Next == "" {
					break
				}
				if p.Next != p.Items[len(p.Items)-1].ID {
					t.Fatalf("next %q is not the page's last item", p.Next)
				}
				q.After = p.Next
			}
			if len(want) == 0 {
				t.Fatal("the filter selects nothing in the generated history; the case tests nothing")
			}
			if jsonOf(t, got) != jsonOf(t, want) {
				t.Errorf("%d pages gave %d items, want %d (the filtered whole list)", pages, len(got), len(want))
			}
		})
	}
}

func TestDeadlinePageRefusals(t *testing.T) {
	v, _ := generatedViews(t, 500, 500)
	now := time.Date(2021, 3, 9, 15, 0, 0, 0, domain.Anchorage)
	for _, tt := range []struct {
		q     DeadlineQuery
		field string
	}{
		{DeadlineQuery{Status: "late"}, "status"},
		{DeadlineQuery{Limit: -1}, "limit"},
		{DeadlineQuery{Limit: MaxDeadlineLimit + 1}, "limit"},
		{DeadlineQuery{After: "correction:nothing"}, "after"},
	} {
		_, err := v.DeadlinePage("gen", now, tt.q)
		var e *events.Error
		if !errors.As(err, &e) || e.Code != events.Invalid || e.Field != tt.field {
			t.Errorf("%+v: %v, want invalid naming %s", tt.q, err, tt.field)
		}
	}
}

// TestCurrentConcurrentReadsAndWrites reads every cached view from several goroutines while
// events are applied (run with -race), then checks the views against fresh ones.
func TestCurrentConcurrentReadsAndWrites(t *testing.T) {
	v, rest := generatedViews(t, 1000, 850)
	base := time.Date(2021, 2, 1, 12, 0, 0, 0, domain.Anchorage)
	done := make(chan struct{})
	var wg sync.WaitGroup
	for r := range 4 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-done:
					return
				default:
				}
				now := base.Add(time.Duration(r*7+i%5) * time.Hour)
				if _, err := v.DeadlinePage("gen", now, DeadlineQuery{Status: DeadlinesUnmet, Limit: 10}); err != nil {
					t.Error(err)
					return
				}
				if _, err := v.Attention("gen", now, 10); err != nil {
					t.Error(err)
					return
				}
				if _, err := v.Corrections("gen", now); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	applyAll(t, v, rest)
	close(done)
	wg.Wait()
	now := base.Add(3 * time.Hour)
	wantD, wantO := fresh(t, v, "gen", now)
	d, _ := v.Deadlines("gen", now)
	o, _ := v.Overview("gen", now)
	if jsonOf(t, d) != jsonOf(t, wantD) || jsonOf(t, o) != jsonOf(t, wantO) {
		t.Error("after concurrent reads and writes the views differ from fresh ones")
	}
	if o.Events != 1000 {
		t.Errorf("the overview shows %d events, want 1000", o.Events)
	}
}

// TestOverviewCountsMatchTheViews checks the overview's counts of corrections and concerns,
// which the agenda counts without building the views, against the Corrections and Concerns views at the same
// instants.
func TestOverviewCountsMatchTheViews(t *testing.T) {
	v, _ := generatedViews(t, 3000, 3000)
	start := time.Date(2021, 1, 4, 0, 0, 0, 0, domain.Anchorage)
	var seen [4]bool // some instant had a nonzero count of each kind
	for now := start; now.Before(start.AddDate(0, 6, 0)); now = now.Add(31*time.Hour + 7*time.Minute) {
		type counts struct{ open, overdue, concerns, awaiting int }
		got, err := read(v, "gen", func(m *model) [2]counts {
			o := m.overview(now)
			t, s := withObligations(m, now, m.corrections).Totals, withObligations(m, now, m.concerns).Summary
			return [2]counts{{o.OpenCorrections, o.OverdueCorrections, o.OpenConcerns, o.AwaitingCallback}, {t.Open + t.Overdue, t.Overdue, s.Open, s.AwaitingCallback}}
		})
		if err != nil {
			t.Fatal(err)
		}
		if got[0] != got[1] {
			t.Fatalf("at %v: counted %+v, the views say %+v", now, got[0], got[1])
		}
		for i, n := range []int{got[0].open, got[0].overdue, got[0].concerns, got[0].awaiting} {
			seen[i] = seen[i] || n > 0
		}
	}
	if seen != [4]bool{true, true, true, true} {
		t.Fatalf("open corrections, overdue ones, open concerns, calls to return ever counted: %v; the walk tests too little", seen)
	}
}
