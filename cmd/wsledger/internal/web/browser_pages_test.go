package web

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/api"
	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/projections"
)

// TestBrowserPages drives, in chromium, what an auditor, a manager and WSTA reach for: a
// provider's pages as of a past instant (equal to the API's answer), an event's page from the
// audit trail, the concerns page, the exports (downloaded and parsed), the charts' labels at a
// readable size with their values on focus and hover, and WSTA's page. The dashboard is served
// beside the API, as wsledger serve does.
func TestBrowserPages(t *testing.T) {
	tab := newBrowser(t)
	e := newEnv(t)
	a := api.New(api.Config{Log: e.store, Service: e.svc, Tokens: e.tokens, Views: e.views, Follower: e.runner, Now: e.clock.Now})
	a.Handle("/", e.dash)
	srv := httptest.NewServer(a)
	t.Cleanup(srv.Close)
	base, shots := srv.URL, screenshotDir(t)
	token := e.token(t, "auditor", "csqa_auditor", "*")
	signInWith(t, tab, base, token, "#statewide-live")

	t.Run("AsOfControl", func(t *testing.T) {
		do(t, tab, "overview now", chromedp.Navigate(base+"/providers/kenai"), chromedp.WaitVisible(chromedp.ID("overview-live")))
		now := pageCounts(t, tab, "overdue", "due-this-week", "open-corrections", "awaiting-callback")
		at := pastInstant().In(domain.Anchorage).Format("2006-01-02T15:04")
		for _, clock := range []string{"occurred", "recorded"} {
			if open := run(t, tab, "is the control open", chromedp.Evaluate[bool](`document.getElementById("asof").open`)); !open {
				do(t, tab, "open the as-of control", chromedp.Click(chromedp.CSS(`#asof summary`)))
			}
			do(t, tab, "fill in the as-of control", chromedp.SetValue(chromedp.ID("as-of"), at), chromedp.SetValue(chromedp.ID("as-of-clock"), clock))
			follow(t, tab, `form.asof-form button[type=submit]`, "#past-banner")
			loc := run(t, tab, "location", chromedp.Location())
			if u, _ := url.Parse(loc); u.Query().Get("as_of") != at || u.Query().Get("clock") != clock {
				t.Fatalf("the address %s does not carry the instant and the clock", loc)
			}
			past := pageCounts(t, tab, "overdue", "due-this-week", "open-corrections", "awaiting-callback")
			var o projections.Overview
			apiGet(t, base+"/v1/overview?"+url.Values{"provider": {"kenai"}, "as_of": {at}, "clock": {clock}}.Encode(), token, &o)
			want := map[string]int{"overdue": o.Overdue, "due-this-week": o.DueThisWeek, "open-corrections": o.OpenCorrections, "awaiting-callback": o.AwaitingCallback}
			if fmt.Sprint(past) != fmt.Sprint(want) {
				t.Errorf("%s clock: the page shows %v, the API's as-of answer %v", clock, past, want)
			}
			if fmt.Sprint(past) == fmt.Sprint(now) {
				t.Errorf("%s clock: as of %s the page shows what it shows now (%v)", clock, at, now)
			}
		}
		screenshot(t, tab, shots, "overview-past")
		follow(t, tab, `nav.tabs a[href^="/providers/kenai/deadlines"]`, "#past-banner")
		follow(t, tab, `#past-banner a`, "#deadlines-live")
		if n := run(t, tab, "banner", chromedp.Evaluate[int](`document.querySelectorAll("#past-banner").length`)); n != 0 {
			t.Error("the page of now still says it shows the past")
		}
	})

	t.Run("EventPage", func(t *testing.T) {
		do(t, tab, "the audit trail's corrections", chromedp.Navigate(base+"/providers/kenai/audit?type=CorrectionCompleted"),
			chromedp.WaitVisible(chromedp.ID("audit-live")))
		rowHash := run(t, tab, "the first row's hash", chromedp.AttributeValue(chromedp.CSS(`#audit-live tbody tr td[data-label="Hash"]`), "title")).Value
		follow(t, tab, `#audit-live tbody tr td[data-label="Event"] a`, "#event-hash")
		id := strings.TrimSpace(run(t, tab, "id", chromedp.Text(chromedp.ID("event-id"))))
		trail, err := e.views.Audit(t.Context(), "kenai", projections.AuditFilter{Types: []string{"CorrectionCompleted"}})
		if err != nil || len(trail.Entries) == 0 {
			t.Fatal(err)
		}
		first := trail.Entries[0]
		if hash := strings.TrimSpace(run(t, tab, "hash", chromedp.Text(chromedp.ID("event-hash")))); hash != rowHash || hash != first.Hash || id != first.ID {
			t.Errorf("the event page shows %s %s; the audit trail's row %s, the ledger %s %s", id, hash, rowHash, first.ID, first.Hash)
		}
		payload := run(t, tab, "payload", chromedp.Text(chromedp.ID("event-payload")))
		var fields map[string]any
		if err := json.Unmarshal([]byte(payload), &fields); err != nil || fields["finding_id"] == nil {
			t.Errorf("the payload shown is not the event's: %v %q", err, payload)
		}
		if !strings.Contains(run(t, tab, "check", chromedp.Text(chromedp.ID("event-check"))), "Its hash matches its content") {
			t.Error("the event page does not say that its hash was checked")
		}
		screenshot(t, tab, shots, "event")
	})

	t.Run("ConcernsPage", func(t *testing.T) {
		c, err := e.views.Concerns("kenai", testNow)
		if err != nil {
			t.Fatal(err)
		}
		do(t, tab, "concerns", chromedp.Navigate(base+"/providers/kenai/concerns"), chromedp.WaitVisible(chromedp.ID("concerns-live")))
		got := pageCounts(t, tab, "received", "open", "waiting", "forwarded")
		want := map[string]int{"received": c.Summary.Received, "open": c.Summary.Open, "waiting": c.Summary.AwaitingCallback, "forwarded": c.Summary.Forwarded}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("the concerns page shows %v, the projections %v", got, want)
		}
		screenshot(t, tab, shots, "concerns")
		do(t, tab, "only those waiting for a callback", chromedp.SetValue(chromedp.ID("c-state"), "waiting"))
		follow(t, tab, `form[aria-label="Filter concerns"] button[type=submit]`, "#concerns-live")
		if n := run(t, tab, "rows", chromedp.Evaluate[int](`document.querySelectorAll("#concerns-live tr[data-concern]").length`)); n != c.Summary.AwaitingCallback {
			t.Errorf("%d concerns listed as waiting, the projections say %d", n, c.Summary.AwaitingCallback)
		}
	})

	t.Run("Exports", func(t *testing.T) {
		dl, err := e.views.Deadlines("kenai", testNow)
		if err != nil {
			t.Fatal(err)
		}
		do(t, tab, "overdue deadlines", chromedp.Navigate(base+"/providers/kenai/deadlines"), chromedp.WaitVisible(chromedp.ID("deadlines-live")),
			chromedp.SetValue(chromedp.ID("f-status"), "overdue"))
		follow(t, tab, `form[aria-label="Filter deadlines"] button[type=submit]`, "#deadlines-live")
		rows := parseCSV(t, download(t, tab, "export-deadlines-csv"))
		if len(rows)-1 != dl.Counts.Overdue {
			t.Errorf("the deadlines CSV holds %d obligations, %d are overdue", len(rows)-1, dl.Counts.Overdue)
		}
		for _, r := range rows[1:] {
			if r[indexOf(rows[0], "status")] != string(domain.StatusOverdue) {
				t.Errorf("the overdue export holds %v", r)
			}
		}
		var all projections.Deadlines
		if err := json.Unmarshal(download(t, tab, "export-deadlines-json"), &all); err != nil || len(all.Items) != dl.Counts.Overdue {
			t.Errorf("the deadlines JSON: %d obligations (%v), want %d", len(all.Items), err, dl.Counts.Overdue)
		}
		c, _ := e.views.Concerns("kenai", testNow)
		do(t, tab, "concerns", chromedp.Navigate(base+"/providers/kenai/concerns"), chromedp.WaitVisible(chromedp.ID("concerns-live")))
		var concerns projections.Concerns
		if err := json.Unmarshal(download(t, tab, "export-concerns-json"), &concerns); err != nil || len(concerns.Items) != len(c.Items) {
			t.Errorf("the concerns JSON: %d concerns (%v), want %d", len(concerns.Items), err, len(c.Items))
		}
		if rows := parseCSV(t, download(t, tab, "export-concerns-csv")); len(rows)-1 != len(c.Items) {
			t.Errorf("the concerns CSV holds %d concerns, want %d", len(rows)-1, len(c.Items))
		}
		cov, _ := e.views.Coverage("kenai")
		do(t, tab, "trends", chromedp.Navigate(base+"/providers/kenai/trends"), chromedp.WaitVisible(chromedp.ID("trends-live")))
		if rows := parseCSV(t, download(t, tab, "export-coverage-csv")); len(rows)-1 != len(cov.Months) {
			t.Errorf("the coverage CSV holds %d months, want %d", len(rows)-1, len(cov.Months))
		}
		s := e.views.Statewide(testNow)
		do(t, tab, "statewide", chromedp.Navigate(base+"/statewide"), chromedp.WaitVisible(chromedp.ID("statewide-live")))
		if rows := parseCSV(t, download(t, tab, "export-statewide-csv")); len(rows)-1 != len(s.Providers) || rows[1][indexOf(rows[0], "overdue")] != fmt.Sprint(s.Providers[0].Overdue) {
			t.Errorf("the statewide CSV: %v; want a line per provider with its overdue count", rows)
		}
	})

	t.Run("ChartLabels", func(t *testing.T) {
		do(t, tab, "a 1400-pixel screen", chromedp.EmulateViewport(1400, 900))
		defer do(t, tab, "back", chromedp.EmulateViewport(1280, 860))
		do(t, tab, "trends", chromedp.Navigate(base+"/providers/kenai/trends"), chromedp.WaitVisible(chromedp.ID("m-kenai-0")))
		// The size text is drawn at: its computed font size times the SVG's scale to the screen.
		var sizes struct{ Min, Max float64 }
		sizes = run(t, tab, "label sizes", chromedp.Evaluate[struct{ Min, Max float64 }](`(() => {
			let min = 1e9, max = 0;
			for (const el of document.querySelectorAll("figure.chart svg text:not(.tip)")) {
				const px = parseFloat(getComputedStyle(el).fontSize) * el.getScreenCTM().a;
				min = Math.min(min, px); max = Math.max(max, px);
			}
			return {Min: min, Max: max};
		})()`))
		t.Logf("chart text at 1400 pixels wide: %.1f to %.1f px", sizes.Min, sizes.Max)
		if sizes.Min < 11 {
			t.Errorf("the smallest chart text is %.1f px at 1400 pixels wide, want 11 or more", sizes.Min)
		}
		for _, caption := range run(t, tab, "captions", chromedp.Evaluate[[]string](`[...document.querySelectorAll("figure.chart figcaption")].map(c => c.textContent)`)) {
			if strings.Contains(caption, "_") {
				t.Errorf("a chart is titled with a raw id: %q", caption)
			}
		}
		tip := `getComputedStyle(document.querySelector("#m-kenai-0 .point:nth-of-type(2) .tip")).visibility`
		if v := run(t, tab, "hidden tip", chromedp.Evaluate[string](tip)); v != "hidden" {
			t.Errorf("a point's value shows before it is hovered or focused (%s)", v)
		}
		do(t, tab, "focus a point", chromedp.Focus(chromedp.CSS(`#m-kenai-0 .point:nth-of-type(2)`)))
		if v := run(t, tab, "tip on focus", chromedp.Evaluate[string](tip)); v != "visible" {
			t.Errorf("a focused point does not show its value (%s)", v)
		}
		label := run(t, tab, "the point's label", chromedp.AttributeValue(chromedp.CSS(`#m-kenai-0 .point:nth-of-type(2)`), "aria-label")).Value
		value := run(t, tab, "the point's value", chromedp.Evaluate[string](`document.querySelector("#m-kenai-0 .point:nth-of-type(2) .tip").textContent`))
		if value == "" || !strings.Contains(label, value) {
			t.Errorf("the focused point says %q and shows %q", label, value)
		}
		do(t, tab, "focus elsewhere", chromedp.Focus(chromedp.ID("main")))
		box := run(t, tab, "where the third point is", chromedp.Evaluate[struct{ X, Y float64 }](`(() => {
			const r = document.querySelector("#m-kenai-0 .point:nth-of-type(3) circle").getBoundingClientRect();
			return {X: r.x + r.width / 2, Y: r.y + r.height / 2};
		})()`))
		do(t, tab, "hover the third point", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, input.DispatchMouseEvent, input.DispatchMouseEventParams{Type: input.DispatchMouseEventTypeMouseMoved, X: box.X, Y: box.Y})
			return err
		}))
		hover := `getComputedStyle(document.querySelector("#m-kenai-0 .point:nth-of-type(3) .tip")).visibility`
		do(t, tab, "its value shows", chromedp.Poll[chromedp.Void](hover+` === "visible"`, chromedp.WithPollingTimeout(2*time.Second)))
		screenshot(t, tab, shots, "trends")
	})

	t.Run("WSTAPage", func(t *testing.T) {
		waitFeed(t, e)
		wsta := newTab(t, tab, true)
		signInWith(t, wsta, base, e.token(t, "analyst", "wsta", "*"), "#statewide-live")
		follow(t, wsta, `nav.tabs a[href="/wsta"]`, "#notices")
		if got, want := count(t, wsta, "notices"), wstaEvents(t, e, ""); got != want {
			t.Errorf("WSTA's page lists %d notices; the ledger holds %d for WSTA", got, want)
		}
		states := run(t, wsta, "delivery states", chromedp.Evaluate[[]string](`[...document.querySelectorAll('#notices td[data-label="Delivery"]')].map(td => td.textContent.trim())`))
		for _, s := range states {
			if s != "✓ In WSTA’s feed" {
				t.Errorf("a notice of a caught-up feed is %q", s)
				break
			}
		}
		screenshot(t, wsta, shots, "wsta")
	})
}

// follow clicks what selector names (a link, a form's button) and waits for the page it leads
// to, then for the element ready names on it.
func follow(t *testing.T, tab context.Context, selector, ready string) {
	t.Helper()
	if _, err := chromedp.RunResponse(tab, chromedp.Click(chromedp.CSS(selector))); err != nil {
		t.Fatalf("follow %s: %v", selector, err)
	}
	do(t, tab, "wait for "+ready, chromedp.WaitVisible(chromedp.CSS(ready)))
}

// pageCounts reads the numbers a page shows in its data-count elements.
func pageCounts(t *testing.T, tab context.Context, names ...string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, n := range names {
		out[n] = count(t, tab, n)
	}
	return out
}

// apiGet reads an API answer with a bearer token.
func apiGet(t *testing.T, address, token string, v any) {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, address, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || json.Unmarshal(body, v) != nil {
		t.Fatalf("%s: status %d %.300s", address, res.StatusCode, body)
	}
}

func parseCSV(t *testing.T, data []byte) [][]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(string(data))).ReadAll()
	if err != nil || len(rows) == 0 {
		t.Fatalf("not CSV (%v): %.300s", err, data)
	}
	return rows
}

func indexOf(header []string, name string) int {
	for i, h := range header {
		if h == name {
			return i
		}
	}
	return 0
}
