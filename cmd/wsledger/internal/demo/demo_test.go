package demo_test

import (
	"bytes"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/auth"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/demo"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/store"
	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
)

// testEnd is the end of the data set the tests load: a Friday, at the end of the working day.
var testEnd = demo.EndOn(domain.Date{Year: 2026, Month: time.November, Day: 6}, time.Now())

func TestCommandsAreDeterministic(t *testing.T) {
	a, b := demo.Commands(testEnd), demo.Commands(testEnd)
	if len(a) != len(b) {
		t.Fatalf("%d commands, then %d", len(a), len(b))
	}
	for i := range a {
		if !a[i].At.Equal(b[i].At) || !bytes.Equal(a[i].JSON, b[i].JSON) {
			t.Fatalf("command %d differs:\n%s\n%s", i, a[i].JSON, b[i].JSON)
		}
		if i > 0 && a[i].At.Before(a[i-1].At) {
			t.Fatalf("command %d is dated before the one before it", i)
		}
		if a[i].At.After(testEnd) {
			t.Fatalf("command %d is dated after the data set's end", i)
		}
	}
}

func TestLoad(t *testing.T) {
	clock := &demo.Clock{}
	st, err := store.Open(t.Context(), store.Options{DataDir: t.TempDir(), Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	first, err := demo.Load(t.Context(), st, clock, testEnd, nil)
	if err != nil {
		t.Fatal(err)
	}
	if first.Appended != first.Commands || first.Already != 0 {
		t.Fatalf("first load: %+v", first)
	}
	for _, typ := range domain.CommandTypes() {
		if first.ByType[typ] == 0 {
			t.Errorf("the demo never submits %s", typ)
		}
	}
	providers, _ := st.Providers(t.Context())
	if !slices.Equal(providers, []string{"kenai", "northstar", "tongass"}) {
		t.Fatalf("providers %v", providers)
	}
	last, _ := st.LastSequence(t.Context())

	again, err := demo.Load(t.Context(), st, clock, testEnd, nil)
	if err != nil {
		t.Fatal(err)
	}
	if again.Appended != 0 || again.Already != again.Commands {
		t.Fatalf("second load appended: %+v", again)
	}
	if now, _ := st.LastSequence(t.Context()); now != last {
		t.Fatalf("second load moved the stream from %d to %d", last, now)
	}
	// The data set of another day shares its idempotency keys with other commands: it is not
	// loaded over this one.
	other, err := demo.Load(t.Context(), st, clock, testEnd.AddDate(0, 0, 3), nil)
	if err != nil || !other.Kept || other.Appended != 0 {
		t.Fatalf("loading another day's data set over this one: %+v, %v", other, err)
	}
	if now, _ := st.LastSequence(t.Context()); now != last {
		t.Fatalf("another day's data set moved the stream from %d to %d", last, now)
	}
	for _, p := range providers {
		r, err := events.Verify(t.Context(), st, p, nil)
		if err != nil || !r.Intact {
			t.Fatalf("%s: %+v %v", p, r, err)
		}
	}
	// The year is recorded as staff would have entered it: never before it happened, mostly
	// within the hour, and a few deliberate late entries.
	var n, withinHour, late int
	for e, err := range st.Read(t.Context(), events.ReadOptions{Provider: "kenai"}) {
		if err != nil {
			t.Fatal(err)
		}
		if e.RecordedAt.Before(e.OccurredAt) {
			t.Fatalf("%s recorded at %s, before it happened at %s", e.Type, e.RecordedAt, e.OccurredAt)
		}
		n++
		if e.RecordedAt.Sub(e.OccurredAt) <= time.Hour {
			withinHour++
		}
		if _, l := domain.DefaultPolicy().EntryLag(e.OccurredAt, e.RecordedAt); l {
			late++
		}
	}
	t.Logf("kenai: %d events, %d recorded within the hour, %d late entries", n, withinHour, late)
	if withinHour < n/2 || late < 2 || late > n/50 {
		t.Errorf("of %d events %d were recorded within the hour and %d were late entries; want most within the hour and a few late", n, withinHour, late)
	}
	if time.Since(clock.Now()) > time.Minute {
		t.Fatal("the clock did not return to the wall clock after the load")
	}
	t.Logf("%d commands, %d events", first.Commands, first.Events)
}

func TestTokensAreKeptAcrossRuns(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(t.Context(), store.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	tokens, err := auth.OpenTokens(t.Context(), st.JetStream(), 1, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, demo.TokensFile)
	first, err := demo.Tokens(t.Context(), tokens, file)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 5 {
		t.Fatalf("%d demo tokens, want a program manager per provider, an auditor and WSTA", len(first))
	}
	again, err := demo.Tokens(t.Context(), tokens, file)
	if err != nil || !slices.Equal(first, again) {
		t.Fatalf("second run gave other tokens: %v", err)
	}
	// A revoked token makes the demo issue a fresh set and revoke the rest.
	p, _ := tokens.Authenticate(t.Context(), first[0].Token)
	if _, err := tokens.Revoke(t.Context(), p.TokenID); err != nil {
		t.Fatal(err)
	}
	fresh, err := demo.Tokens(t.Context(), tokens, file)
	if err != nil || fresh[0].Token == first[0].Token {
		t.Fatalf("no fresh tokens: %v", err)
	}
	if _, err := tokens.Authenticate(t.Context(), first[1].Token); err == nil {
		t.Fatal("an old demo token still works")
	}
	list, _ := tokens.List(t.Context())
	if len(list) != 10 {
		t.Fatalf("%d tokens listed, want 10 (5 revoked)", len(list))
	}
}
