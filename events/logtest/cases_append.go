package logtest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/wsledger/wsledger/events"
)

func testOrdering(t *testing.T, h Harness) {
	c := newClock()
	l := h.New(t, c.now)
	agg := newAgg()
	for i := range 5 {
		for _, p := range []string{"north", "south"} {
			appendOne(t, l, request(p, "", draft(agg, c.t, i)))
			c.advance(time.Second)
		}
	}
	for _, p := range []string{"north", "south"} {
		got := ReadAll(t, l, events.ReadOptions{Provider: p})
		if len(got) != 5 {
			t.Fatalf("%s: read %d events, want 5", p, len(got))
		}
		prev := ""
		for i, e := range got {
			if e.Provider != p || e.Position != uint64(i+1) || e.PrevHash != prev {
				t.Fatalf("%s event %d: provider %s position %d prev %q; want %s, %d, %q", p, i, e.Provider, e.Position, e.PrevHash, p, i+1, prev)
			}
			if i > 0 && e.Sequence <= got[i-1].Sequence {
				t.Fatalf("%s: sequence %d after %d", p, e.Sequence, got[i-1].Sequence)
			}
			if want := fmt.Sprintf(`{"n":%d,"note":"item <%d>"}`, i, i); string(e.Payload) != want {
				t.Fatalf("payload %s not stored canonically", e.Payload)
			}
			prev = e.Hash
		}
		head, err := l.Head(t.Context(), p)
		if err != nil || head.Position != 5 || head.Hash != prev || head.Sequence != got[4].Sequence {
			t.Fatalf("head = %+v, %v; want position 5, hash %s", head, err, prev)
		}
	}
	if all := ReadAll(t, l, events.ReadOptions{}); len(all) != 10 {
		t.Fatalf("whole ledger: %d events, want 10", len(all))
	}
	ps, err := l.Providers(t.Context())
	if err != nil || len(ps) != 2 || ps[0] != "north" || ps[1] != "south" {
		t.Fatalf("providers = %v, %v", ps, err)
	}
	if got := ReadAll(t, l, events.ReadOptions{Provider: "south", From: 7}); len(got) != 2 || got[0].Sequence < 7 {
		t.Fatalf("read from 7: %d events", len(got))
	}
}

// testProvidersFollowAppends lists providers between appends and across a reopen: a log may
// remember what it listed, but never miss a provider appended since.
func testProvidersFollowAppends(t *testing.T, h Harness) {
	c := newClock()
	l := h.New(t, c.now)
	list := func(want ...string) {
		t.Helper()
		got, err := l.Providers(t.Context())
		if err != nil || !slices.Equal(got, want) {
			t.Fatalf("providers = %v, %v; want %v", got, err, want)
		}
	}
	list()
	add := func(provider string) {
		t.Helper()
		appendOne(t, l, request(provider, newAgg(), draft(newAgg(), c.now(), 1)))
	}
	add("north")
	list("north")
	add("south")
	add("north")
	list("north", "south")
	l = h.Reopen(t, l)
	list("north", "south")
	add("east")
	list("east", "north", "south")
}

func testValidation(t *testing.T, h Harness) {
	l := h.New(t, newClock().now)
	good := draft(newAgg(), time.Now(), 1)
	cases := map[string]events.AppendRequest{
		"provider with dot":      request("a.b", "", good),
		"provider with wildcard": request("a*", "", good),
		"no events":              request("north", ""),
		"bad kind":               request("north", "", func() events.Draft { d := good; d.AggregateKind = "it.em"; return d }()),
		"natural id":             request("north", "", func() events.Draft { d := good; d.AggregateID = "client-12345"; return d }()),
		"no version":             request("north", "", func() events.Draft { d := good; d.Version = 0; return d }()),
		"bad payload":            request("north", "", func() events.Draft { d := good; d.Payload = []byte(`{"a":`); return d }()),
	}
	for name, r := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := l.Append(t.Context(), r)
			wantCode(t, err, events.Invalid)
		})
	}
	if n := LastSequence(t, l); n != 0 {
		t.Fatalf("refused appends stored %d events", n)
	}
}

// testConcurrentCAS races many writers on one provider, each expecting the same head: exactly
// one wins each round and the others get a conflict carrying the new head.
func testConcurrentCAS(t *testing.T, h Harness) {
	l := h.New(t, newClock().now)
	const writers, rounds = 16, 5
	agg := newAgg()
	for round := range rounds {
		head, err := l.Head(t.Context(), "north")
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		wins, conflicts := 0, 0
		for w := range writers {
			wg.Go(func() {
				r := request("north", "", draft(agg, time.Now(), w))
				r.ExpectedSeq = ptr(head.Sequence)
				_, err := l.Append(t.Context(), r)
				mu.Lock()
				defer mu.Unlock()
				switch events.ErrorCode(err) {
				case "":
					wins++
				case events.Conflict:
					conflicts++
				default:
					t.Errorf("writer %d: %v", w, err)
				}
			})
		}
		wg.Wait()
		if wins != 1 || conflicts != writers-1 {
			t.Fatalf("round %d: %d winners and %d conflicts, want 1 and %d", round, wins, conflicts, writers-1)
		}
	}
	if got := ReadAll(t, l, events.ReadOptions{Provider: "north"}); len(got) != rounds {
		t.Fatalf("stored %d events, want %d", len(got), rounds)
	}
	_, err := l.Append(t.Context(), func() events.AppendRequest {
		r := request("north", "", draft(agg, time.Now(), 0))
		r.ExpectedSeq = ptr(uint64(1))
		return r
	}())
	if e := wantCode(t, err, events.Conflict); e.Current != LastSequence(t, l) {
		t.Fatalf("conflict carries current %d, want %d", e.Current, LastSequence(t, l))
	}
}

// testAtomic checks that a command's several events, and several providers' requests in one
// call, are stored all together or not at all.
func testAtomic(t *testing.T, h Harness) {
	c := newClock()
	l := h.New(t, c.now)
	a, b := newAgg(), newAgg()
	res := appendOne(t, l, request("north", "k1", draft(a, c.t, 1), draft(b, c.t, 2), draft(a, c.t, 3)))
	if len(res.Events) != 3 || res.Events[2].Sequence != res.Events[0].Sequence+2 {
		t.Fatalf("multi-event append: %+v", res.Events)
	}
	appendOne(t, l, request("south", "", draft(a, c.t, 1)))
	before := LastSequence(t, l)
	stale := request("south", "", draft(a, c.t, 9), draft(b, c.t, 10))
	stale.ExpectedSeq = ptr(uint64(0))
	_, err := l.Append(t.Context(), request("north", "", draft(a, c.t, 4), draft(b, c.t, 5)), stale)
	wantCode(t, err, events.Conflict)
	if got := LastSequence(t, l); got != before {
		t.Fatalf("a refused call stored %d events", got-before)
	}
	out, err := l.Append(t.Context(), request("north", "", draft(a, c.t, 4)), request("south", "", draft(b, c.t, 5), draft(b, c.t, 6)))
	if err != nil || len(out) != 2 || len(out[1].Events) != 2 {
		t.Fatalf("two-provider append: %v, %+v", err, out)
	}
}

func testIdempotent(t *testing.T, h Harness) {
	c := newClock()
	l := h.New(t, c.now)
	agg := newAgg()
	first := appendOne(t, l, request("north", "cmd-1", draft(agg, c.t, 1), draft(agg, c.t, 2)))
	before := LastSequence(t, l)
	check := func(l events.Log, when string) {
		t.Helper()
		again := appendOne(t, l, request("north", "cmd-1", draft(agg, c.t, 1), draft(agg, c.t, 2)))
		if !again.Duplicate || len(again.Events) != 2 || again.Events[0].ID != first.Events[0].ID || again.Events[1].Hash != first.Events[1].Hash {
			t.Fatalf("%s: retry gave %+v, want the first result", when, again)
		}
		if got := LastSequence(t, l); got != before {
			t.Fatalf("%s: retry appended %d events", when, got-before)
		}
		found, ok, err := l.Lookup(t.Context(), "north", "cmd-1")
		if err != nil || !ok || found.Events[1].ID != first.Events[1].ID {
			t.Fatalf("%s: lookup = %+v, %v, %v", when, found, ok, err)
		}
	}
	check(l, "same process")
	other := request("north", "cmd-1", draft(agg, c.t, 7))
	other.Fingerprint = "fp-another-command"
	_, err := l.Append(t.Context(), other)
	wantCode(t, err, events.Conflict)
	c.advance(26 * time.Hour)
	l = h.Reopen(t, l)
	check(l, "after reopening a day later")
	if _, ok, err := l.Lookup(t.Context(), "north", "never-used"); ok || err != nil {
		t.Fatalf("lookup of an unused key: %v, %v", ok, err)
	}
}
