package projections

import (
	"testing"
	"time"

	"github.com/wsledger/wsledger/domain"
)

// TestAttentionStamp walks a generated provider's history in steps of minutes: wherever two
// instants have the same stamp, Attention must show the same, apart from what is computed from
// the instant itself; applying events must change the stamp.
func TestAttentionStamp(t *testing.T) {
	v, rest := generatedViews(t, 1500, 1000)
	timeless := func(a Attention) string {
		a.Overview.At = time.Time{}
		for i := range a.Deadlines {
			a.Deadlines[i].LateSeconds, a.Deadlines[i].Late = 0, ""
		}
		for i := range a.Findings {
			a.Findings[i].LateSeconds, a.Findings[i].Late = 0, ""
		}
		for i := range a.Callbacks {
			a.Callbacks[i].AgeBusinessDays = 0
		}
		return jsonOf(t, a)
	}
	seen := map[AttentionStamp]string{}
	same, stamps := 0, 0
	start := time.Date(2021, 1, 4, 6, 0, 0, 0, domain.Anchorage)
	for now := start; now.Before(start.AddDate(0, 0, 20)); now = now.Add(23 * time.Minute) {
		stamp, err := v.AttentionStamp("gen", now)
		if err != nil {
			t.Fatal(err)
		}
		a, err := v.Attention("gen", now, 20)
		if err != nil {
			t.Fatal(err)
		}
		got := timeless(a)
		if want, ok := seen[stamp]; !ok {
			seen[stamp], stamps = got, stamps+1
		} else if same++; got != want {
			t.Fatalf("at %v Attention differs from an earlier instant with the same stamp:\n%s\nwant\n%s", now, got, want)
		}
	}
	t.Logf("%d instants, %d stamps", same+stamps, stamps)
	if same == 0 || stamps < 2 {
		t.Fatalf("%d instants shared a stamp, %d stamps in all: the walk tests nothing", same, stamps)
	}

	now := start.AddDate(0, 0, 20)
	before, _ := v.AttentionStamp("gen", now)
	applyAll(t, v, rest[:1])
	if after, _ := v.AttentionStamp("gen", now); after == before {
		t.Fatal("an event applied left the stamp as it was")
	}
}
