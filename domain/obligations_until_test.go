package domain

import (
	"slices"
	"testing"
	"time"
)

// TestObligationsUntil walks a book with an obligation of every kind through 2026 from one
// reported change to the next, and checks at instants inside each stretch (its start, its middle
// and its last nanosecond) that the obligations and every status are those at its start.
func TestObligationsUntil(t *testing.T) {
	l := deadlineFixture(t)
	b := bookOf(t, l)
	p := l.policy
	end := mustTime("2027-01-05T00:00:00")
	stretches := 0
	for at := mustTime("2026-01-01T00:00:00"); at.Before(end); stretches++ {
		list, until := b.ObligationsUntil(at)
		if !until.After(at) {
			t.Fatalf("at %v: until %v is not after it", at, until)
		}
		if until.Sub(at) > 24*time.Hour+time.Hour {
			t.Errorf("at %v: until %v lies past the next Alaska midnight", at, until)
		}
		want := statuses(list, at, p)
		for _, probe := range []time.Time{at.Add(until.Sub(at) / 2), until.Add(-time.Nanosecond)} {
			got := b.Obligations(probe)
			if !slices.EqualFunc(got, list, sameObligation) {
				t.Fatalf("at %v (kept from %v until %v): the obligations changed", probe, at, until)
			}
			if s := statuses(got, probe, p); !slices.Equal(s, want) {
				t.Fatalf("at %v (kept from %v until %v): statuses %v, want %v", probe, at, until, s, want)
			}
		}
		at = until
	}
	if stretches < 365 {
		t.Errorf("%d stretches in a year: a change at every Alaska midnight at least was expected", stretches)
	}
}

func TestObligationsUntilUnregistered(t *testing.T) {
	if list, until := NewBook(testProvider, DefaultPolicy()).ObligationsUntil(fixtureNow); list != nil || !until.IsZero() {
		t.Errorf("an unregistered provider: %v until %v, want nothing, never", list, until)
	}
}

func statuses(list []Obligation, at time.Time, p Policy) []Status {
	out := make([]Status, len(list))
	for i, o := range list {
		out[i] = o.Status(at, p)
	}
	return out
}

func sameObligation(a, b Obligation) bool {
	return a.ID == b.ID && a.Due.Equal(b.Due) && a.MetAt.Equal(b.MetAt) && a.OpenedAt.Equal(b.OpenedAt) && a.Done == b.Done && a.Required == b.Required
}
