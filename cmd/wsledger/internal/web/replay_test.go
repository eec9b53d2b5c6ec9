package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
)

// pastInstant is an instant three months before the demo data set ends, at which a provider's
// pages differ from now.
func pastInstant() time.Time { return demoEnd.AddDate(0, -3, 0) }

// Every provider page replays as of ?as_of= on ?clock=: the numbers are the projections' as of
// that instant, a banner says so, the page does not update live, and the tabs, filters and
// exports keep the instant.
func testAsOfPagesShowThePast(t *testing.T, e *env) {
	b := e.signedIn(t, "auditor", "csqa_auditor", "*")
	at := pastInstant()
	for _, clock := range []events.Clock{events.Recorded, events.Occurred} {
		r, err := e.views.Replay(t.Context(), "kenai", at, clock)
		if err != nil {
			t.Fatal(err)
		}
		o := r.Overview()
		query := "?" + url.Values{"as_of": {at.Format(time.RFC3339)}, "clock": {string(clock)}}.Encode()
		res, body := b.get("/providers/kenai" + query)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", clock, res.StatusCode)
		}
		want := map[string]int{"overdue": o.Overdue, "due-this-week": o.DueThisWeek, "open-corrections": o.OpenCorrections,
			"awaiting-callback": o.AwaitingCallback, "reviewed": o.Coverage.Reviewed}
		for k, v := range want {
			if got := counts(t, body)[k]; got != v {
				t.Errorf("%s clock: %s shows %d, the replay says %d", clock, k, got, v)
			}
		}
		for _, want := range []string{`id="past-banner"`, alaskaTime(at), `name="as_of" value="` + at.In(domain.Anchorage).Format("2006-01-02T15:04") + `"`,
			`href="/providers/kenai/deadlines?as_of=`} {
			if !strings.Contains(body, want) {
				t.Errorf("%s clock: the page lacks %q", clock, want)
			}
		}
		if strings.Contains(body, "data-live=") {
			t.Errorf("%s clock: a page of the past updates live", clock)
		}
		dl := r.Deadlines()
		_, body = b.get("/providers/kenai/deadlines" + query + "&status=overdue")
		if got := counts(t, body)["shown"]; got != dl.Counts.Overdue {
			t.Errorf("%s clock: the deadlines page as of then shows %d overdue, the replay %d", clock, got, dl.Counts.Overdue)
		}
		if !strings.Contains(body, `name="as_of" value="`+at.UTC().Format(time.RFC3339)) {
			t.Errorf("%s clock: the deadline filters drop the instant", clock)
		}
	}
	now, _ := e.views.Overview("kenai", testNow)
	past, _ := e.views.Replay(t.Context(), "kenai", at, events.Recorded)
	if now.Events == past.Overview().Events {
		t.Errorf("as of %s the provider had the %d events it has now: the test's instant shows nothing", at, now.Events)
	}

	t.Run("before the first event", func(t *testing.T) {
		res, body := b.get("/providers/kenai?as_of=2001-01-01")
		if res.StatusCode != http.StatusNotFound || !strings.Contains(body, "holds no event of kenai as of") {
			t.Errorf("status %d: %.300s", res.StatusCode, body)
		}
	})
	t.Run("a malformed instant shows now and says why", func(t *testing.T) {
		res, body := b.get("/providers/kenai/trends?as_of=yesterday")
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "as_of must be an instant") || strings.Contains(body, `id="past-banner"`) {
			t.Errorf("status %d: %.300s", res.StatusCode, body)
		}
	})
}
