package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/projections"
)

// testNoticesAndLateEntriesShown: the deadlines page shows each WSTA notice's delivery state, and
// marks the met obligations entered late, as many as the projections say; the audit page marks
// the late events of its first page.
func testNoticesAndLateEntriesShown(t *testing.T, e *env) {
	b := e.signedIn(t, "kenai-pm", "program_manager", "kenai")
	page, err := e.views.DeadlinePage("kenai", testNow, projections.DeadlineQuery{Kind: domain.ObligationWSTANotice, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	res, body := b.get("/providers/kenai/deadlines?kind=" + domain.ObligationWSTANotice)
	if res.StatusCode != http.StatusOK || len(page.Items) == 0 {
		t.Fatalf("status %d, %d notices", res.StatusCode, len(page.Items))
	}
	if got := strings.Count(body, "data-notice-delivery"); got != len(page.Items) {
		t.Errorf("%d notices show their delivery state, want %d", got, len(page.Items))
	}
	if !strings.Contains(body, "E-mailed to WSTA; its mail server accepted Message-ID") {
		t.Error("no notice shows the Message-ID WSTA's mail server accepted")
	}
	late, err := e.views.DeadlinePage("kenai", testNow, projections.DeadlineQuery{LateEntries: true, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	_, body = b.get("/providers/kenai/deadlines?status=met")
	shown := strings.Count(body, "data-late-entry")
	if late.Matched == 0 || shown == 0 || shown > late.Matched {
		t.Errorf("the first page of met obligations marks %d late entries; the projections count %d", shown, late.Matched)
	}
}
