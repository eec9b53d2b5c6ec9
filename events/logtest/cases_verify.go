package logtest

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/wsledger/wsledger/events"
)

func testVerifyIntact(t *testing.T, h Harness) {
	c := newClock()
	l := h.New(t, c.now)
	history(t, l, c)
	reports, err := events.VerifyAll(t.Context(), l)
	if err != nil || len(reports) != 2 {
		t.Fatalf("verify all: %v, %d reports", err, len(reports))
	}
	for _, r := range reports {
		if !r.Intact || r.Tamper != nil || r.Events == 0 {
			t.Fatalf("untouched history reported %+v", r)
		}
	}
	d, err := events.ExportDigest(t.Context(), l, "north", c.t)
	if err != nil {
		t.Fatal(err)
	}
	appendOne(t, l, request("north", "", draft(newAgg(), c.t, 99)))
	r, err := events.Verify(t.Context(), l, "north", &d)
	if err != nil || !r.Intact {
		t.Fatalf("a longer history must extend its earlier digest: %+v, %v", r, err)
	}
}

// history appends a small history to two providers and returns north's events.
func history(t *testing.T, l events.Log, c *clock) []events.Envelope {
	t.Helper()
	agg := newAgg()
	for i := range 6 {
		appendOne(t, l, request("north", "", draft(agg, c.t, i)))
		appendOne(t, l, request("south", "", draft(agg, c.t, i)))
		c.advance(time.Minute)
	}
	return ReadAll(t, l, events.ReadOptions{Provider: "north"})
}

func raw(t *testing.T, es []events.Envelope) []RawMessage {
	t.Helper()
	out := make([]RawMessage, len(es))
	for i := range es {
		e := es[i]
		e.Sequence = 0
		data, err := events.MarshalEnvelope(&e)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = RawMessage{Subject: e.Subject(), Data: data}
	}
	return out
}

// testTamper writes altered copies of a genuine history straight to a store and checks that
// Verify names the kind of tampering and the event.
func testTamper(t *testing.T, h Harness) {
	c := newClock()
	genuine := history(t, h.New(t, c.now), c)
	digest := events.Digest{Provider: "north", Position: genuine[5].Position, Hash: genuine[5].Hash}
	forged := func() events.Envelope {
		f := genuine[2]
		f.ID = "01900000-0000-7000-8000-000000000000"
		f.Payload = json.RawMessage(`{"n":2,"note":"a review that never happened"}`)
		f.Hash, _ = events.ComputeHash(&f)
		return f
	}()
	cases := []struct {
		name     string
		tamper   func([]events.Envelope) []events.Envelope
		anchor   *events.Digest
		kind     string
		position uint64 // position of the event named
		id       string // id of the event named, when known
	}{
		{"changed payload", func(es []events.Envelope) []events.Envelope {
			es[3].Payload = json.RawMessage(`{"n":3,"note":"edited"}`)
			return es
		}, nil, events.Modified, 4, genuine[3].ID},
		{"changed actor", func(es []events.Envelope) []events.Envelope {
			es[1].Actor.StaffID = "someone-else"
			return es
		}, nil, events.Modified, 2, genuine[1].ID},
		{"changed payload with recomputed hash", func(es []events.Envelope) []events.Envelope {
			es[2].Payload = json.RawMessage(`{"n":2,"note":"edited"}`)
			es[2].Hash, _ = events.ComputeHash(&es[2])
			return es
		}, nil, events.Modified, 3, genuine[2].ID},
		{"removed", func(es []events.Envelope) []events.Envelope {
			return append(es[:2:2], es[3:]...)
		}, nil, events.Removed, 4, genuine[3].ID},
		{"removed last", func(es []events.Envelope) []events.Envelope {
			return es[:5]
		}, &digest, events.Diverged, 5, ""},
		{"reordered", func(es []events.Envelope) []events.Envelope {
			es[3], es[4] = es[4], es[3]
			return es
		}, nil, events.Reordered, 5, genuine[4].ID},
		{"forged event inserted", func(es []events.Envelope) []events.Envelope {
			return append(es[:3:3], append([]events.Envelope{forged}, es[3:]...)...)
		}, nil, events.Inserted, 3, forged.ID},
		{"forged event replacing one", func(es []events.Envelope) []events.Envelope {
			es[2] = forged
			return es
		}, nil, events.Modified, 3, forged.ID},
		{"event moved from another provider", func(es []events.Envelope) []events.Envelope {
			x := es[1]
			x.Provider = "south"
			return append(es[:1:1], append([]events.Envelope{x}, es[1:]...)...)
		}, nil, events.Inserted, 0, genuine[1].ID},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			es := append([]events.Envelope(nil), genuine...)
			msgs := raw(t, tc.tamper(es))
			if tc.name == "event moved from another provider" {
				msgs[1].Subject = events.Subject("north", es[1].AggregateKind, es[1].Aggregate)
			}
			l := h.Raw(t, msgs)
			r, err := events.Verify(t.Context(), l, "north", tc.anchor)
			if err != nil {
				t.Fatal(err)
			}
			f := r.Tamper
			if r.Intact || f == nil {
				t.Fatalf("tampering not found: %+v", r)
			}
			if f.Kind != tc.kind || (tc.position != 0 && f.Position != tc.position) || (tc.id != "" && f.EventID != tc.id) || f.Sequence == 0 {
				t.Fatalf("found %+v; want %s at position %d, event %s", f, tc.kind, tc.position, tc.id)
			}
			t.Logf("found: %v", f)
		})
	}
	t.Run("undecodable bytes", func(t *testing.T) {
		msgs := raw(t, genuine)
		msgs[2].Data = append([]byte(nil), msgs[2].Data[:40]...)
		r, err := events.Verify(t.Context(), h.Raw(t, msgs), "north", nil)
		if err != nil || r.Tamper == nil || r.Tamper.Kind != events.Modified || r.Tamper.Sequence != 3 {
			t.Fatalf("truncated event: %+v, %v", r.Tamper, err)
		}
	})
}
