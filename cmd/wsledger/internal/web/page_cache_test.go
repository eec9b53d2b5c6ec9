package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestOverviewCache(t *testing.T) {
	var c overviewCache
	at := time.Date(2026, 11, 9, 10, 0, 0, 300_000_000, time.UTC)
	k := overviewKey{provider: "north", staff: "pm1", role: "program_manager", allowed: "north"}
	other := k
	other.staff = "pm2"
	c.put(k, at, []byte("page 1"))
	for _, tc := range []struct {
		name string
		k    overviewKey
		at   time.Time
		want string // "" for none
	}{
		{"same second", k, at.Add(600 * time.Millisecond), "page 1"},
		{"another viewer", other, at, ""},
		{"only the live region", overviewKey{provider: k.provider, staff: k.staff, role: k.role, allowed: k.allowed, partial: true}, at, ""},
		{"the next second", k, at.Add(700 * time.Millisecond), ""},
	} {
		page, ok := c.get(tc.k, tc.at)
		if got := string(page); ok != (tc.want != "") || got != tc.want {
			t.Errorf("%s: got %q, %v; want %q", tc.name, got, ok, tc.want)
		}
	}
	later := at.Add(time.Second)
	c.put(k, later, []byte("page 2"))
	c.put(other, at, []byte("late page of an earlier second"))
	if page, ok := c.get(k, later); !ok || string(page) != "page 2" {
		t.Errorf("after the second passed: %q, %v", page, ok)
	}
	if _, ok := c.get(other, later); ok {
		t.Error("a page rendered in an earlier second was kept for a later one")
	}
	buf := []byte("page 3")
	c.put(k, later, buf)
	buf[0] = 'X'
	if page, _ := c.get(k, later); string(page) != "page 3" {
		t.Errorf("the cache shares the caller's buffer: %q", page)
	}
}

// testOverviewKeptForASecondAtMost reads the overview again within a second: the page follows
// every change to the ledger at once, each viewer sees their own, and the instant it shows
// moves on with the clock.
func testOverviewKeptForASecondAtMost(t *testing.T, e *env) {
	defer e.clock.set(testNow)
	at := testNow.Add(100 * time.Millisecond)
	e.clock.set(at)
	pm := e.signedIn(t, "northstar-pm", "program_manager", "northstar")
	colleague := e.signedIn(t, "northstar-pm2", "program_manager", "northstar")
	_, first := pm.get("/providers/northstar")
	if !strings.Contains(first, "<strong>northstar-pm</strong>") {
		t.Fatal("the overview does not name its viewer")
	}
	_, other := colleague.get("/providers/northstar")
	if !strings.Contains(other, "<strong>northstar-pm2</strong>") || strings.Contains(other, "<strong>northstar-pm</strong>") {
		t.Error("a second viewer within the same second got the first viewer's page")
	}

	at = at.Add(300 * time.Millisecond)
	e.clock.set(at)
	before := counts(t, first)["open-corrections"]
	f := e.openFinding(t, "northstar")
	if res, _ := pm.post("/providers/northstar/corrections", url.Values{"finding_id": {f.FindingID}, "note": {"Corrected."}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("correction: status %d", res.StatusCode)
	}
	o, err := e.views.Overview("northstar", at)
	if err != nil {
		t.Fatal(err)
	}
	_, after := pm.get("/providers/northstar")
	if got := counts(t, after)["open-corrections"]; got != o.OpenCorrections || got != before-1 {
		t.Errorf("within the same second after a correction the page shows %d open corrections, was %d; want %d", got, before, o.OpenCorrections)
	}
	_, partial := pm.get("/providers/northstar?partial=1")
	if strings.Contains(partial, "<html") || counts(t, partial)["open-corrections"] != o.OpenCorrections {
		t.Error("the live region after the whole page is not the live region alone, or not current")
	}

	next := at.Add(time.Second)
	e.clock.set(next)
	_, later := pm.get("/providers/northstar")
	if want := `datetime="` + isoTime(next) + `"`; isoTime(next) == isoTime(at) || !strings.Contains(later, want) {
		t.Errorf("a second later the page does not show the new instant %s", isoTime(next))
	}
}
