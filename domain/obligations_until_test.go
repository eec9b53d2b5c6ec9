package domain_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/wsledger/wsledger/domain"
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
		sameAt(t, b, p, list, at, fmt.Sprintf("kept from %v until %v", at, until), at.Add(until.Sub(at)/2), until.Add(-time.Nanosecond))
		at = until
	}
	if stretches < 365 {
		t.Errorf("%d stretches in a year: a change at every Alaska midnight at least was expected", stretches)
	}
}

func TestObligationsUntilUnregistered(t *testing.T) {
	if list, until := domain.NewBook(testProvider, domain.DefaultPolicy()).ObligationsUntil(fixtureNow); list != nil || !until.IsZero() {
		t.Errorf("an unregistered provider: %v until %v, want nothing, never", list, until)
	}
}

// sameAt checks that at every probe the book's obligations and their statuses are list and its
// statuses at the instant list was asked at.
func sameAt(t *testing.T, b *domain.Book, p domain.Policy, list []domain.Obligation, asked time.Time, what string, probes ...time.Time) {
	t.Helper()
	want := statuses(list, asked, p)
	for _, probe := range probes {
		got := b.Obligations(probe)
		if !slices.EqualFunc(got, list, sameObligation) {
			t.Fatalf("at %v (%s): the obligations differ", probe, what)
		}
		if s := statuses(got, probe, p); !slices.Equal(s, want) {
			t.Fatalf("at %v (%s): statuses %v, want %v", probe, what, s, want)
		}
	}
}

func statuses(list []domain.Obligation, at time.Time, p domain.Policy) []domain.Status {
	out := make([]domain.Status, len(list))
	for i, o := range list {
		out[i] = o.Status(at, p)
	}
	return out
}

func sameObligation(a, b domain.Obligation) bool {
	return a.ID == b.ID && a.Due.Equal(b.Due) && a.MetAt.Equal(b.MetAt) && a.OpenedAt.Equal(b.OpenedAt) && a.Done == b.Done && a.Required == b.Required
}

// TestObligationsHolding walks the same book through 2026, asking in the middle of each stretch,
// and checks at instants between the reported since and that instant (since itself, a point
// between, the last nanosecond before) that the obligations and every status are those asked.
func TestObligationsHolding(t *testing.T) {
	l := deadlineFixture(t)
	b := bookOf(t, l)
	p := l.policy
	end := mustTime("2027-01-05T00:00:00")
	stretches, shared := 0, 0
	for at := mustTime("2026-01-01T00:00:00"); at.Before(end); stretches++ {
		_, until := b.ObligationsUntil(at)
		mid := at.Add(until.Sub(at) / 2)
		list, since, untilMid := b.ObligationsHolding(mid)
		if since.After(mid) || !untilMid.Equal(until) {
			t.Fatalf("asked at %v: since %v, until %v; want since at or before it and until %v", mid, since, untilMid, until)
		}
		if since.Before(at) {
			shared++ // the stretch before ended at a change that did not change anything
		}
		last := mid.Add(-time.Nanosecond)
		if last.Before(since) { // since may be mid itself
			last = since
		}
		sameAt(t, b, p, list, mid, fmt.Sprintf("held from %v, asked at %v", since, mid), since, since.Add(mid.Sub(since)/3), last)
		at = until
	}
	t.Logf("%d stretches, %d reported holding from before their start", stretches, shared)
}
