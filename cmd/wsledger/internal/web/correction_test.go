package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/wsledger/wsledger/events"
)

func testRecordCorrection(t *testing.T, e *env) {
	b := e.signedIn(t, "kenai-pm", "program_manager", "kenai")
	f := e.openFinding(t, "kenai")
	before, _ := e.views.Overview("kenai", testNow)

	res, body := b.get("/providers/kenai/corrections/new?finding=" + url.QueryEscape(f.FindingID))
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `<option value="`+f.FindingID+`" selected>`) {
		t.Fatalf("form: status %d; want it with the finding selected", res.StatusCode)
	}
	form := url.Values{"finding_id": {f.FindingID}, "note": {"Hours re-entered from the timesheets; case notes updated."},
		"idempotency_key": {"web-test-key-1"}}

	res, _ = b.post("/providers/kenai/corrections", form)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/providers/kenai?recorded=") {
		t.Fatalf("submit: status %d, location %q; want the overview", res.StatusCode, res.Header.Get("Location"))
	}
	after, _ := e.views.Overview("kenai", testNow)
	if after.OpenCorrections != before.OpenCorrections-1 {
		t.Errorf("open corrections %d after the form, %d before; want one fewer", after.OpenCorrections, before.OpenCorrections)
	}
	_, body = b.get(res.Header.Get("Location"))
	if !strings.Contains(body, "✓ Correction recorded") || counts(t, body)["open-corrections"] != after.OpenCorrections {
		t.Errorf("the overview after the form does not confirm it or show the new count")
	}
	trail, _ := e.views.Audit(t.Context(), "kenai", projectionsFilter(events.TypeCorrectionCompleted))
	last := trail.Entries[len(trail.Entries)-1]
	if last.Actor.StaffID != "kenai-pm" || last.Actor.Role != "program_manager" || !strings.Contains(string(last.Payload), f.FindingID) {
		t.Errorf("the correction was recorded as %+v, %s; want the signed-in staff and the finding", last.Actor, last.Payload)
	}

	// The same form sent twice records one correction.
	if res, _ := b.post("/providers/kenai/corrections", form); res.StatusCode != http.StatusSeeOther {
		t.Errorf("resubmitted form: status %d", res.StatusCode)
	}
	again, _ := e.views.Audit(t.Context(), "kenai", projectionsFilter(events.TypeCorrectionCompleted))
	if len(again.Entries) != len(trail.Entries) {
		t.Errorf("a resubmitted form appended again")
	}
}

func testCorrectionRefusals(t *testing.T, e *env) {
	f := e.openFinding(t, "tongass")
	pm := e.signedIn(t, "tongass-pm", "program_manager", "tongass")
	tests := []struct {
		name   string
		b      *browser
		form   url.Values
		status int
		says   string
	}{
		{"no note", pm, url.Values{"finding_id": {f.FindingID}}, http.StatusBadRequest, "note"},
		{"unknown finding", pm, url.Values{"finding_id": {"F-does-not-exist"}, "note": {"done"}}, http.StatusNotFound, "finding"},
		{"a time that is not one", pm, url.Values{"finding_id": {f.FindingID}, "note": {"done"}, "corrected_at": {"yesterday"}}, http.StatusBadRequest, "for example 2026-11-23 09:00"},
		{"an auditor", e.signedIn(t, "auditor", "csqa_auditor", "*"), url.Values{"finding_id": {f.FindingID}, "note": {"done"}}, http.StatusForbidden, "You do not have access"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := tt.b.post("/providers/tongass/corrections", tt.form)
			if res.StatusCode != tt.status || !strings.Contains(body, tt.says) {
				t.Errorf("status %d, want %d with a message that mentions %q", res.StatusCode, tt.status, tt.says)
			}
		})
	}
	if still := e.openFinding(t, "tongass"); still.FindingID != f.FindingID {
		t.Error("a refused form recorded a correction")
	}
}
