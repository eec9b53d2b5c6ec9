package web

import (
	"bufio"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/api"
)

// The dashboard is served beside the API, as wsledger serve mounts it: the API keeps its
// routes, the dashboard gets the rest, and its live stream flushes through the API's
// instrumentation.
func testMountedBesideTheAPI(t *testing.T, e *env) {
	a := api.New(api.Config{Log: e.store, Service: e.svc, Tokens: e.tokens, Views: e.views, Follower: e.runner,
		Operations: api.Operations{DashboardStreams: e.dash.LiveStreams}})
	a.Handle("/", e.dash)
	srv := httptest.NewServer(a)
	defer srv.Close()

	b := e.signedIn(t, "kenai-pm", "program_manager", "kenai")
	b.origin = srv.URL
	if res, _ := b.get("/healthz"); res.StatusCode != http.StatusOK {
		t.Errorf("the API's /healthz answered %d", res.StatusCode)
	}
	if res, body := b.get("/v1/whoami"); res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "unauthenticated") {
		t.Errorf("the API's routes need a bearer token, not the dashboard's cookie: /v1/whoami answered %d", res.StatusCode)
	}
	if res, body := b.get("/providers/kenai"); res.StatusCode != http.StatusOK || !strings.Contains(body, `id="overview-live"`) {
		t.Errorf("the dashboard's overview answered %d", res.StatusCode)
	}

	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+"/live?scope=provider:kenai", nil)
	res, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	first := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(res.Body).ReadString('\n')
		first <- line
	}()
	select {
	case line := <-first:
		if !strings.HasPrefix(line, "retry:") {
			t.Errorf("the live stream began %q", line)
		}
		// The open stream counts among the live connections /metrics reports.
		_, metrics := b.get("/metrics")
		var open int
		for _, l := range strings.Split(metrics, "\n") {
			if n, ok := strings.CutPrefix(l, "wsledger_dashboard_streams "); ok {
				open, _ = strconv.Atoi(n)
			}
		}
		if open < 1 {
			t.Errorf("/metrics counts %d open dashboard streams while one is open", open)
		}
	case <-time.After(2 * time.Second):
		t.Error("the live stream's first message was not flushed through the API")
	}
}
