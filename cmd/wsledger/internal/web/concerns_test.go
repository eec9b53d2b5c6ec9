package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/wsledger/wsledger/projections"
)

// The concerns page shows the projections' concerns, filtered by where they stand.
func testConcernsPage(t *testing.T, e *env) {
	b := e.signedIn(t, "kenai-pm", "program_manager", "kenai")
	c, err := e.views.Concerns("kenai", testNow)
	if err != nil {
		t.Fatal(err)
	}
	res, body := b.get("/providers/kenai/concerns")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	s := c.Summary
	for k, v := range map[string]int{"received": s.Received, "open": s.Open, "waiting": s.AwaitingCallback,
		"callbacks-on-time": s.CallbacksOnTime, "forwarded": s.Forwarded, "shown": len(c.Items)} {
		if got := counts(t, body)[k]; got != v {
			t.Errorf("%s shows %d, the projections say %d", k, got, v)
		}
	}
	for state, want := range map[string]int{"waiting": s.AwaitingCallback, "forwarded": s.Forwarded, "resolved": s.Resolved, "open": s.Open} {
		_, body := b.get("/providers/kenai/concerns?state=" + state)
		if got := strings.Count(body, "data-concern="); got != want {
			t.Errorf("state=%s lists %d concerns, want %d", state, got, want)
		}
	}
	// Only a call or a voicemail is owed a callback: a concern that came otherwise is shown as
	// owing none, not as waiting.
	noCallback := 0
	for _, k := range c.Items {
		if k.Callback != projections.CallbackNotRequired {
			continue
		}
		noCallback++
		_, row, _ := strings.Cut(body, `data-concern="`+k.ConcernID+`"`)
		row, _, _ = strings.Cut(row, "</tr>")
		if !strings.Contains(row, `<td data-label="Channel">`+k.Channel+"</td>") {
			t.Errorf("concern %s came by %s; its row does not say so: %q", k.ConcernID, k.Channel, row)
		}
		if !strings.Contains(row, "No callback") || strings.Contains(row, "Waiting") {
			t.Errorf("concern %s came by %s, which owes no callback; its row says %q", k.ConcernID, k.Channel, row)
		}
	}
	if noCallback == 0 {
		t.Error("no concern of the data set came by a channel without a callback; the page's reading of one is untested")
	}
	if !strings.Contains(body, "WSTA notified") || !strings.Contains(body, "Returned within a business day") {
		t.Error("the concerns page does not say where callbacks and WSTA notices stand")
	}
	if !strings.Contains(body, `href="/providers/kenai/record?`) {
		t.Error("the concerns page does not link its records")
	}
}
