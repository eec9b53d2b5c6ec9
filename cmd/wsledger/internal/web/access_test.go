package web

import (
	"net/http"
	"strings"
	"testing"
)

// Each role sees what it may: provider staff their provider; CSQA auditors, WSTA and admins
// holding a token for every provider the statewide view and any provider, read-only.
func testRoleAccess(t *testing.T, e *env) {
	type visit struct {
		path   string
		status int
	}
	tests := []struct {
		staff, role, provider string
		visits                []visit
	}{
		{"kenai-cm", "case_manager", "kenai", []visit{
			{"/", http.StatusSeeOther}, {"/providers/kenai", 200}, {"/providers/kenai/deadlines", 200},
			{"/providers/kenai/trends", 200}, {"/providers/kenai/audit", 200}, {"/providers/kenai/corrections/new", 200},
			{"/providers/northstar", 403}, {"/providers/northstar/audit.csv", 403}, {"/providers/no-such", 403},
			{"/statewide", 403}, {"/live?scope=provider:northstar", 403}, {"/live?scope=statewide", 403},
		}},
		{"kenai-pm", "program_manager", "kenai", []visit{
			{"/providers/kenai/corrections/new", 200}, {"/providers/tongass/deadlines", 403},
		}},
		{"auditor", "csqa_auditor", "*", []visit{
			{"/", http.StatusSeeOther}, {"/statewide", 200}, {"/providers/northstar", 200}, {"/providers/kenai/audit", 200},
			{"/providers/tongass/audit.jsonl", 200}, {"/providers/kenai/corrections/new", 403}, {"/providers/no-such", 404},
		}},
		{"analyst", "wsta", "*", []visit{
			{"/statewide", 200}, {"/providers/kenai", 200}, {"/providers/kenai/trends", 200},
			{"/providers/kenai/audit", 403}, {"/providers/kenai/audit.csv", 403}, {"/providers/kenai/corrections/new", 403},
		}},
		{"kenai-auditor", "csqa_auditor", "kenai", []visit{
			{"/providers/kenai/audit", 200}, {"/statewide", 403}, {"/providers/northstar", 403},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.role+" of "+tt.provider, func(t *testing.T) {
			b := e.signedIn(t, tt.staff, tt.role, tt.provider)
			for _, v := range tt.visits {
				res, body := b.get(v.path)
				if res.StatusCode != v.status {
					t.Errorf("GET %s: status %d, want %d", v.path, res.StatusCode, v.status)
				}
				if v.status == http.StatusForbidden && strings.HasPrefix(v.path, "/providers/") && !strings.Contains(body, "You do not have access to this page") {
					t.Errorf("GET %s: the 403 is not the dashboard's page", v.path)
				}
			}
		})
	}
}

func testNotFoundPage(t *testing.T, e *env) {
	b := e.signedIn(t, "auditor", "csqa_auditor", "*")
	for _, path := range []string{"/no/such/page", "/providers/no-such/trends"} {
		res, body := b.get(path)
		if res.StatusCode != http.StatusNotFound || !strings.Contains(body, "<h1>Page not found</h1>") || !strings.Contains(body, `href="/statewide"`) {
			t.Errorf("GET %s: status %d; want the 404 page with a way back", path, res.StatusCode)
		}
	}
}

// The stylesheet, script and icon are served from the binary to anyone; pages carry a content
// security policy that allows nothing from elsewhere, and are not cached.
func testAssetsAndHeaders(t *testing.T, e *env) {
	anon := e.browser(t)
	for path, kind := range map[string]string{"/static/style.css": "text/css", "/static/live.js": "text/javascript", "/static/favicon.svg": "image/svg+xml"} {
		res, body := anon.get(path)
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), kind) || body == "" {
			t.Errorf("GET %s: status %d, type %q", path, res.StatusCode, res.Header.Get("Content-Type"))
		}
	}
	if res, _ := anon.get("/static/"); res.StatusCode != http.StatusNotFound {
		t.Errorf("the static folder is listed: status %d", res.StatusCode)
	}
	res, _ := e.signedIn(t, "kenai-pm", "program_manager", "kenai").get("/providers/kenai")
	csp := res.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") || res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("page headers: CSP %q, Cache-Control %q", csp, res.Header.Get("Cache-Control"))
	}
}
