package web

import (
	"context"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/wsledger/wsledger/projections"
)

// TestBrowser drives the dashboard in chromium: sign in, the overview's numbers, a correction
// through the form seen live on two other open pages, the 403 page, the CSV export, and
// screenshots of the main pages.
func TestBrowser(t *testing.T) {
	manager := newBrowser(t)
	e := newEnv(t)
	shots := screenshotDir(t)
	base := e.srv.URL

	// A program manager signs in and lands on the provider's overview.
	signInWith(t, manager, base, e.token(t, "kenai-pm", "program_manager", "kenai"), "#overview-live")
	if loc := run(t, manager, "location", chromedp.Location()); loc != base+"/providers/kenai" {
		t.Fatalf("signed in at %s, want the kenai overview", loc)
	}

	t.Run("OverviewCounts", func(t *testing.T) {
		o, err := e.views.Overview("kenai", testNow)
		if err != nil {
			t.Fatal(err)
		}
		for name, want := range map[string]int{"overdue": o.Overdue, "due-this-week": o.DueThisWeek,
			"open-corrections": o.OpenCorrections, "awaiting-callback": o.AwaitingCallback} {
			if got := count(t, manager, name); got != want {
				t.Errorf("%s shows %d, the projections say %d", name, got, want)
			}
		}
		screenshot(t, manager, shots, "overview")
		do(t, manager, "phone width", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulatePortrait))
		screenshot(t, manager, shots, "overview-phone")
		if w := run(t, manager, "page width", chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 390 {
			t.Errorf("at phone width the page is %d pixels wide and scrolls sideways", w)
		}
		do(t, manager, "desktop width", chromedp.EmulateViewport(1280, 860))
	})

	// The first Tab reaches the skip link, and following it moves focus to the main content.
	t.Run("Keyboard", func(t *testing.T) {
		do(t, manager, "tab to the skip link", chromedp.KeyEvent(kb.Tab))
		if got := run(t, manager, "focused", chromedp.Evaluate[string](`document.activeElement.textContent`)); got != "Skip to main content" {
			t.Fatalf("the first Tab focused %q, want the skip link", got)
		}
		do(t, manager, "follow the skip link", chromedp.KeyEvent(kb.Enter))
		if got := run(t, manager, "focused", chromedp.Evaluate[string](`document.activeElement.id`)); got != "main" {
			t.Errorf("after the skip link the focus is on %q, want main", got)
		}
	})

	t.Run("MainPages", func(t *testing.T) {
		for _, p := range []struct{ name, path, ready string }{
			{"deadlines", "/providers/kenai/deadlines?status=overdue", "#deadlines-live"},
		} {
			do(t, manager, p.name, chromedp.Navigate(base+p.path), chromedp.WaitVisible(chromedp.CSS(p.ready)))
			screenshot(t, manager, shots, p.name)
		}
	})

	t.Run("ForbiddenProvider", func(t *testing.T) {
		res, err := chromedp.RunResponse(manager, chromedp.Navigate(base+"/providers/northstar"))
		if err != nil {
			t.Fatal(err)
		}
		h1 := run(t, manager, "heading", chromedp.Text(chromedp.CSS("main h1")))
		if res.Status != 403 || h1 != "You do not have access to this page" {
			t.Errorf("another provider's overview: status %d, heading %q; want the 403 page", res.Status, h1)
		}
	})

	// A CSQA auditor, in a browser of their own, reads the statewide view and the audit trail.
	auditor := newTab(t, manager, true)
	signInWith(t, auditor, base, e.token(t, "auditor", "csqa_auditor", "*"), "#statewide-live")
	screenshot(t, auditor, shots, "statewide")

	t.Run("ExportAuditTrail", func(t *testing.T) {
		do(t, auditor, "audit trail", chromedp.Navigate(base+"/providers/kenai/audit"), chromedp.WaitVisible(chromedp.ID("audit-live")))
		screenshot(t, auditor, shots, "audit")
		data := download(t, auditor, "export-csv")
		rows, err := csv.NewReader(strings.NewReader(string(data))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		trail, err := e.views.Audit(t.Context(), "kenai", projections.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != len(trail.Entries)+1 {
			t.Fatalf("the downloaded CSV has %d rows, want a header and %d events", len(rows), len(trail.Entries))
		}
		for i, x := range trail.Entries {
			if rows[i+1][0] != strconv.FormatUint(x.Sequence, 10) || rows[i+1][13] != x.Hash || rows[i+1][14] != projections.Verified {
				t.Fatalf("CSV row %d is %v; want sequence %d, hash %s, verified", i+1, rows[i+1], x.Sequence, x.Hash)
			}
		}
	})

	// The manager records a correction in a second tab; the overview in the first tab and the
	// auditor's statewide view change without a reload.
	t.Run("LiveCorrection", func(t *testing.T) {
		f := e.openFinding(t, "kenai")
		do(t, manager, "overview", chromedp.Navigate(base+"/providers/kenai"), chromedp.WaitVisible(chromedp.ID("overview-live")))
		do(t, auditor, "statewide", chromedp.Navigate(base+"/statewide"), chromedp.WaitVisible(chromedp.ID("statewide-live")))
		for _, tab := range []context.Context{manager, auditor} {
			do(t, tab, "mark the page and wait for its live stream",
				chromedp.Evaluate[chromedp.Void](`window.notReloaded = true`),
				chromedp.Poll[chromedp.Void](`document.getElementById("live-status").textContent.startsWith("Live")`, chromedp.WithPollingTimeout(5*time.Second)))
		}
		openBefore, overdueBefore, stateBefore := count(t, manager, "open-corrections"), count(t, manager, "overdue"), count(t, auditor, "open-corrections")

		form := newTab(t, manager, false)
		do(t, form, "correction form",
			chromedp.Navigate(base+"/providers/kenai/corrections/new?finding="+f.FindingID),
			chromedp.WaitVisible(chromedp.ID("note")),
			chromedp.SendKeys(chromedp.ID("note"), "Hours re-entered from the signed timesheets."),
		)
		// Both tabs read the same clock: the form tab notes when it sends, the overview when its
		// count changes.
		do(t, manager, "watch the count", chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
			window.changedAt = 0;
			new MutationObserver(() => {
				const el = document.querySelector('[data-count="open-corrections"]');
				if (!window.changedAt && el && el.textContent.trim() === "%d") window.changedAt = Date.now();
			}).observe(document.body, {subtree: true, childList: true, characterData: true});
		})()`, openBefore-1)))
		sentAt := run(t, form, "send the form", chromedp.Evaluate[float64](
			`(() => { const t = Date.now(); document.querySelector('form[action$="/corrections"]').requestSubmit(); return t; })()`))
		waitCount(t, manager, "open-corrections", openBefore-1)
		if f.Status == "overdue" {
			waitCount(t, manager, "overdue", overdueBefore-1)
		}
		waitCount(t, auditor, "open-corrections", stateBefore-1)
		changedAt := run(t, manager, "when it changed", chromedp.Evaluate[float64](`window.changedAt`))
		took := time.Duration(changedAt-sentAt) * time.Millisecond
		t.Logf("the overview changed %v after the form was sent", took)
		if took <= 0 || took > liveBound {
			t.Errorf("the overview changed %v after the form was sent, want within %v", took, liveBound)
		}
		do(t, form, "confirmation", chromedp.WaitVisible(chromedp.CSS(".flash")))
		for _, tab := range []context.Context{manager, auditor} {
			if !run(t, tab, "still the same page", chromedp.Evaluate[bool](`window.notReloaded === true`)) {
				t.Error("the page was reloaded")
			}
		}
	})
}
