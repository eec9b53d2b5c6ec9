package projections

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
)

// TestAgendaFollowsTheFixtures applies the year-long fixtures' events one by one to views that
// are read between them, and checks at every event (its recorded_at and its occurred_at) and at
// random instants between and around the events that each provider's kept obligations are those
// domain.Book.ObligationsHolding derives from scratch, with the same statuses, and that the kept
// deadlines and overview are those computed from that derivation (fresh).
func TestAgendaFollowsTheFixtures(t *testing.T) {
	log, _ := playFixtures(t)
	var history []events.Envelope
	for e, err := range log.Read(t.Context(), events.ReadOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		history = append(history, e)
	}
	rng := rand.New(rand.NewPCG(17, 1))
	v := New(nil, domain.DefaultPolicy())
	last := map[string]time.Time{} // each provider's last recorded_at
	var end time.Time
	for i, e := range history {
		if err := (target{v}).Apply(e); err != nil {
			t.Fatal(err)
		}
		probes := []time.Time{e.RecordedAt, e.OccurredAt}
		if l := last[e.Provider]; !l.IsZero() {
			probes = append(probes, l.Add(time.Duration(rng.Int64N(max(int64(e.RecordedAt.Sub(l)), 0)+1))))
		}
		probes = append(probes, e.RecordedAt.Add(-time.Duration(rng.Int64N(int64(60*24*time.Hour)))), e.RecordedAt)
		for _, at := range probes {
			checkKept(t, v, e.Provider, at, fmt.Sprintf("after event %d (%s)", i+1, e.Type))
		}
		last[e.Provider] = e.RecordedAt
		if e.RecordedAt.After(end) {
			end = e.RecordedAt
		}
	}
	// Time alone: the months after the last event, forward and now and then back.
	for at := end; at.Before(goldenNow.AddDate(0, 2, 0)); at = at.Add(time.Duration(rng.Int64N(int64(50 * time.Hour)))) {
		for _, p := range []string{northStar, aurora} {
			checkKept(t, v, p, at, "after the last event")
			if rng.IntN(4) == 0 {
				checkKept(t, v, p, at.Add(-time.Duration(rng.Int64N(int64(30*24*time.Hour)))), "looking back")
			}
		}
	}
}

// checkKept compares a provider's kept obligations, deadlines and overview at an instant with
// those derived from scratch.
func checkKept(t *testing.T, v *Views, provider string, at time.Time, what string) {
	t.Helper()
	type compared struct{ got, want []string }
	c, err := read(v, provider, func(m *model) compared {
		var c compared
		want, _, _ := m.st.Book.ObligationsHolding(at)
		for _, o := range want {
			c.want = append(c.want, fmt.Sprintf("%+v %s", o, o.Status(at, m.policy)))
		}
		atAgenda(m, at, func(a *domain.Agenda) bool {
			a.Walk(domain.PartAll, nil, func(o *domain.Obligation, s domain.Status) bool {
				c.got = append(c.got, fmt.Sprintf("%+v %s", *o, s))
				return true
			})
			return true
		})
		return c
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.got) != len(c.want) {
		t.Fatalf("%s at %v: %s keeps %d obligations, the book derives %d", what, at, provider, len(c.got), len(c.want))
	}
	for i := range c.got {
		if c.got[i] != c.want[i] {
			t.Fatalf("%s at %v: %s keeps\n%s\nthe book derives\n%s", what, at, provider, c.got[i], c.want[i])
		}
	}
	wantD, wantO := fresh(t, v, provider, at)
	d, _ := v.Deadlines(provider, at)
	o, _ := v.Overview(provider, at)
	if got, want := jsonOf(t, d), jsonOf(t, wantD); got != want {
		t.Fatalf("%s at %v: %s's deadlines differ from fresh ones", what, at, provider)
	}
	if got, want := jsonOf(t, o), jsonOf(t, wantO); got != want {
		t.Fatalf("%s at %v: %s's overview\n%s\nfresh\n%s", what, at, provider, got, want)
	}
}
