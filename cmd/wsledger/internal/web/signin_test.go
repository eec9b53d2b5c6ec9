package web

import (
	"bufio"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func testSignIn(t *testing.T, e *env) {
	token := e.token(t, "kenai-pm", "program_manager", "kenai")
	b := e.browser(t)

	res, _ := b.get("/providers/kenai/deadlines?status=overdue")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login?next="+url.QueryEscape("/providers/kenai/deadlines?status=overdue") {
		t.Fatalf("signed out: status %d, location %q; want the sign-in form with the page to return to", res.StatusCode, res.Header.Get("Location"))
	}

	res, body := b.post("/login", url.Values{"token": {"wsl_not-a-real-token"}})
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "That token is not valid") {
		t.Fatalf("a wrong token: status %d, want 401 with the form saying so", res.StatusCode)
	}

	res, _ = b.post("/login", url.Values{"token": {token}, "next": {"/providers/kenai/deadlines"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/providers/kenai/deadlines" {
		t.Fatalf("sign-in: status %d, location %q", res.StatusCode, res.Header.Get("Location"))
	}
	cookies := res.Cookies()
	if len(cookies) != 1 {
		t.Fatalf("sign-in set %d cookies, want the session cookie only", len(cookies))
	}
	c := cookies[0]
	if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Secure || c.Path != "/" || strings.Contains(c.Value, token) || len(c.Value) < 40 {
		t.Errorf("session cookie %+v: want HttpOnly, SameSite=Strict, not Secure over plain HTTP, a random id and never the token", c)
	}
	if res, _ := b.get("/providers/kenai"); res.StatusCode != http.StatusOK {
		t.Fatalf("signed in: overview status %d", res.StatusCode)
	}

	res, _ = b.post("/logout", nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
		t.Fatalf("sign-out: status %d, location %q", res.StatusCode, res.Header.Get("Location"))
	}
	if res, _ := b.get("/providers/kenai"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("after signing out the overview answered %d, want a redirect to the sign-in form", res.StatusCode)
	}
}

func TestSignInNeverLeavesTheSite(t *testing.T) {
	for _, next := range []string{"//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", ""} {
		if got := localPath(next); got != "/" {
			t.Errorf("localPath(%q) = %q, want /", next, got)
		}
	}
	if got := localPath("/providers/kenai?status=overdue"); got != "/providers/kenai?status=overdue" {
		t.Errorf("a local path was changed to %q", got)
	}
}

func testRevokedTokenEndsTheSession(t *testing.T, e *env) {
	token := e.token(t, "kenai-pm", "program_manager", "kenai")
	b := e.browser(t)
	if res, _ := b.post("/login", url.Values{"token": {token}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", res.StatusCode)
	}
	p, err := e.tokens.Authenticate(t.Context(), token)
	if err != nil {
		t.Fatal(err)
	}
	// The session's live stream delivers a change, then nothing once the revocation is
	// answered: it has ended by then, and a change made after it is never sent.
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, e.srv.URL+"/live?scope=provider:kenai", nil)
	res, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	sc.Scan() // retry: the stream is open and watching
	e.kenaiCall(t, "REV-A")
	for sc.Scan() && sc.Text() != "data: kenai" {
	}
	if _, err := e.tokens.Revoke(t.Context(), p.TokenID); err != nil {
		t.Fatal(err)
	}
	e.kenaiCall(t, "REV-B")
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "data:") {
			t.Fatalf("the live stream sent %q after the revocation was answered", sc.Text())
		}
	}
	if res, _ := b.get("/providers/kenai"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("a revoked token's session still answered %d", res.StatusCode)
	}
}

// kenaiCall records a client call at kenai, which changes its views.
func (e *env) kenaiCall(t *testing.T, id string) {
	t.Helper()
	cmd, _ := json.Marshal(map[string]any{
		"type": "ReceiveClientCall", "provider": "kenai", "idempotency_key": "test-" + id,
		"actor":      map[string]string{"staff_id": "kenai-pm", "role": "program_manager"},
		"concern_id": id, "client_number": "12345678", "summary": "Client asks about a payment.",
	})
	if _, err := e.svc.Submit(t.Context(), cmd); err != nil {
		t.Fatal(err)
	}
}

// Forms refuse requests from other sites (http.CrossOriginProtection), on top of the
// SameSite=Strict cookie.
func testCrossSiteFormsAreRefused(t *testing.T, e *env) {
	b := e.signedIn(t, "northstar-pm", "program_manager", "northstar")
	f := e.openFinding(t, "northstar")
	for _, path := range []string{"/providers/northstar/corrections", "/logout", "/login"} {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, e.srv.URL+path,
			strings.NewReader(url.Values{"finding_id": {f.FindingID}, "note": {"x"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		if res, _ := b.do(req); res.StatusCode != http.StatusForbidden {
			t.Errorf("cross-site POST %s: status %d, want 403", path, res.StatusCode)
		}
	}
	if still := e.openFinding(t, "northstar"); still.FindingID != f.FindingID {
		t.Errorf("a cross-site form recorded a correction")
	}
}
