package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/projections"
)

// /events/{id} shows one event whole, found by its id alone or at once by the hints the
// dashboard's links carry, to those who may read the provider's history only.
func testEventPage(t *testing.T, e *env) {
	trail, err := e.views.Audit(t.Context(), "kenai", projections.AuditFilter{Types: []string{"FileReviewRecorded"}})
	if err != nil || len(trail.Entries) == 0 {
		t.Fatalf("no file review of kenai: %v", err)
	}
	ev := trail.Entries[len(trail.Entries)/2].Envelope
	auditor := e.signedIn(t, "auditor", "csqa_auditor", "*")
	for _, path := range []string{"/events/" + ev.ID, eventLink(ev)} {
		res, body := auditor.get(path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", path, res.StatusCode)
		}
		for _, want := range []string{ev.Hash, ev.PrevHash, ev.ID, "Its hash matches its content", "The provider’s chain is intact through it",
			alaskaTime(ev.OccurredAt), alaskaTime(ev.RecordedAt), `&#34;review_id&#34;`} {
			if !strings.Contains(body, want) {
				t.Errorf("%s lacks %q", path, want)
			}
		}
	}
	// The audit trail links each event to its page.
	if _, body := auditor.get("/providers/kenai/audit?type=FileReviewRecorded"); !strings.Contains(body, `href="`+strings.ReplaceAll(eventLink(ev), "&", "&amp;")+`"`) {
		t.Error("the audit trail does not link the event's page")
	}
	for _, tt := range []struct {
		name, staff, role, provider, path string
		status                            int
	}{
		{"another provider's manager, by id", "north-pm", "program_manager", "northstar", "/events/" + ev.ID, http.StatusNotFound},
		{"another provider's manager, by link", "north-pm", "program_manager", "northstar", eventLink(ev), http.StatusForbidden},
		{"WSTA, which reads the feed only", "analyst", "wsta", "*", "/events/" + ev.ID, http.StatusNotFound},
		{"no such event", "auditor", "csqa_auditor", "*", "/events/0196a1b2-0000-7000-8000-000000000000", http.StatusNotFound},
		{"not an id", "auditor", "csqa_auditor", "*", "/events/nothing", http.StatusNotFound},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, body := e.signedIn(t, tt.staff, tt.role, tt.provider).get(tt.path)
			if res.StatusCode != tt.status || strings.Contains(body, ev.Hash) {
				t.Errorf("status %d, want %d (and no hash of the event)", res.StatusCode, tt.status)
			}
		})
	}
}

// The deadlines page links each obligation to the event that opened it and the one that met
// it: a correction to the file review that found it and to the correction.
func testRecordLinks(t *testing.T, e *env) {
	b := e.signedIn(t, "kenai-pm", "program_manager", "kenai")
	_, body := b.get("/providers/kenai/deadlines?status=met_on_time&kind=correction")
	links := recordLinks.FindAllStringSubmatch(body, -1)
	if len(links) < 2 {
		t.Fatalf("the deadlines page links no records: %.500s", section(body, "<tbody>", "</tbody>"))
	}
	types := map[string]bool{}
	for _, l := range links[:2] {
		href := strings.ReplaceAll(l[1], "&amp;", "&")
		res, _ := b.get(href)
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/events/") {
			t.Fatalf("%s: status %d to %q", href, res.StatusCode, res.Header.Get("Location"))
		}
		res, page := b.get(res.Header.Get("Location"))
		u, _ := url.Parse(href)
		if res.StatusCode != http.StatusOK || !strings.Contains(page, u.Query().Get("subject")) {
			t.Fatalf("the event of %s: status %d", href, res.StatusCode)
		}
		types[section(page, "<h1>", "</h1>")] = true
	}
	if !types["<h1>FileReviewRecorded"] || !types["<h1>CorrectionCompleted"] {
		t.Errorf("a correction's links lead to %v, want the file review and the correction", types)
	}
	if res, _ := b.get("/providers/kenai/record?subject=nothing-" + domain.ObligationCorrection + "&at=2026-01-01T00:00:00Z"); res.StatusCode != http.StatusNotFound {
		t.Errorf("a record that is not there: status %d", res.StatusCode)
	}
}

var recordLinks = regexp.MustCompile(`href="(/providers/kenai/record\?[^"]+)"`)
