package logtest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/wsledger/wsledger/events"
)

// testAsOf records events out of order (occurred_at earlier than events recorded before them)
// and reads both clocks.
func testAsOf(t *testing.T, h Harness) {
	c := newClock()
	l := h.New(t, c.now)
	agg := newAgg()
	t0 := c.t
	day := 24 * time.Hour
	// recorded t0, t0+1d, t0+2d; occurred t0-1d, t0+1d, t0-3d (the last is a late arrival).
	occurred := []time.Time{t0.Add(-day), t0.Add(day), t0.Add(-3 * day)}
	var recorded []time.Time
	for i, o := range occurred {
		res := appendOne(t, l, request("north", "", draft(agg, o, i)))
		recorded = append(recorded, res.Events[0].RecordedAt)
		appendOne(t, l, request("south", "", draft(agg, o, i)))
		c.advance(day)
	}
	count := func(asOf time.Time, clk events.Clock) []int {
		var ns []int
		for _, e := range ReadAll(t, l, events.ReadOptions{Provider: "north", AsOf: asOf, Clock: clk}) {
			ns = append(ns, int(e.Position))
		}
		return ns
	}
	cases := []struct {
		name string
		asOf time.Time
		clk  events.Clock
		want []int
	}{
		{"recorded before anything", t0.Add(-time.Second), events.Recorded, nil},
		{"recorded at first", recorded[0], events.Recorded, []int{1}},
		{"recorded between", recorded[1].Add(time.Hour), events.Recorded, []int{1, 2}},
		{"recorded now", recorded[2], events.Recorded, []int{1, 2, 3}},
		{"occurred before the late arrival", t0.Add(-2 * day), events.Occurred, []int{3}},
		{"occurred by t0", t0, events.Occurred, []int{1, 3}},
		{"occurred by t0+1d", t0.Add(day), events.Occurred, []int{1, 2, 3}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := count(tc.asOf, tc.clk); !equalInts(got, tc.want) {
				t.Fatalf("positions = %v, want %v", got, tc.want)
			}
		})
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// testSubscribe starts a subscription at a checkpoint and sees stored and new events in order.
func testSubscribe(t *testing.T, h Harness) {
	c := newClock()
	l := h.New(t, c.now)
	agg := newAgg()
	var seqs []uint64
	for i := range 5 {
		seqs = append(seqs, appendOne(t, l, request("north", "", draft(agg, c.t, i))).Events[0].Sequence)
		appendOne(t, l, request("south", "", draft(agg, c.t, i)))
	}
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	got := make(chan events.Envelope, 16)
	done := make(chan error, 1)
	go func() {
		done <- l.Subscribe(ctx, "north", seqs[2], func(e events.Envelope) error {
			got <- e
			return nil
		})
	}()
	want := []uint64{seqs[2], seqs[3], seqs[4]}
	for i := range 2 {
		want = append(want, appendOne(t, l, request("north", "", draft(agg, c.t, 10+i))).Events[0].Sequence)
	}
	for i, w := range want {
		select {
		case e := <-got:
			if e.Sequence != w || e.Provider != "north" {
				t.Fatalf("event %d: sequence %d of %s, want %d of north", i, e.Sequence, e.Provider, w)
			}
		case <-ctx.Done():
			t.Fatalf("waited for event %d (sequence %d)", i, w)
		}
	}
	select {
	case e := <-got:
		t.Fatalf("unexpected event %d", e.Sequence)
	case <-time.After(200 * time.Millisecond):
	}
	cancel()
	if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
		t.Fatalf("subscribe returned %v", err)
	}
	stop := errors.New("stop here")
	err := l.Subscribe(t.Context(), "", 1, func(events.Envelope) error { return stop })
	if !errors.Is(err, stop) {
		t.Fatalf("subscribe returned %v, want the callback's error", err)
	}
}
