package web

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/auth"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/demo"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/ledger"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/natsauth"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/store"
	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/projections"
	"github.com/wsledger/wsledger/projections/runner"
	"github.com/wsledger/wsledger/projections/wsta"
)

// testNow is the dashboard's clock in the tests: the Monday after the demo data set ends (at the
// end of Friday's working day, demoEnd), so that some obligations are overdue and some are due
// this week.
var (
	demoEnd = demo.EndOn(domain.Date{Year: 2026, Month: time.November, Day: 6}, time.Now())
	testNow = time.Date(2026, 11, 9, 10, 0, 0, 0, domain.Anchorage)
)

// env is a real dashboard: an embedded NATS server on a temporary directory with the demo data
// set, the projections kept by their runner, the ledger service, API tokens, and the dashboard
// on an httptest server.
type env struct {
	feed   *wsta.Feed
	store  *store.Store
	views  *projections.Views
	runner *runner.Runner
	tokens *auth.Tokens
	svc    *ledger.Service
	dash   *Dashboard
	srv    *httptest.Server
	clock  *clock
}

// clock is the ledger's and the dashboard's clock in the tests: the demo's clock while the
// demo data set loads (each command recorded at its own instant), then the instant last set.
type clock struct {
	demo demo.Clock
	t    atomic.Pointer[time.Time]
}

func (c *clock) Now() time.Time {
	if t := c.t.Load(); t != nil {
		return *t
	}
	return c.demo.Now()
}

func (c *clock) set(t time.Time) { c.t.Store(&t) }

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := t.Context()
	clk := &clock{}
	st, err := store.Open(ctx, store.Options{DataDir: t.TempDir(), Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := demo.Load(ctx, st, &clk.demo, demoEnd, nil); err != nil {
		t.Fatal(err)
	}
	policy := domain.DefaultPolicy()
	svc := ledger.New(st, policy, clk.Now)
	mondayMorning(t, svc, clk)
	tokens, err := auth.OpenTokens(ctx, st.JetStream(), 1, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	views := projections.New(st, policy)
	run := views.Runner(st.JetStream(), runner.Options{})
	runCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan error, 1)
	go func() { done <- run.Run(runCtx) }()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("projections runner: %v", err)
		}
	})
	last, err := st.LastSequence(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := run.WaitFor(ctx, last); err != nil {
		t.Fatal(err)
	}
	feed, err := wsta.New(ctx, st, st.JetStream(), wsta.Options{Stream: natsauth.FeedStream})
	if err != nil {
		t.Fatal(err)
	}
	feedDone := make(chan error, 1)
	go func() { feedDone <- feed.Run(runCtx) }()
	t.Cleanup(func() {
		stop()
		if err := <-feedDone; err != nil {
			t.Errorf("WSTA feed: %v", err)
		}
	})
	clk.set(testNow)
	dash := New(Config{
		Views: views, Log: st, Notices: feed, Applied: run.WaitFor, Service: svc,
		Tokens: tokens, Policy: policy, Now: clk.Now, Logger: slog.New(slog.NewTextHandler(t.Output(), nil)),
	})
	srv := httptest.NewServer(dash)
	t.Cleanup(srv.Close)
	return &env{feed: feed, store: st, views: views, runner: run, tokens: tokens, svc: svc, dash: dash, srv: srv, clock: clk}
}

// mondayMorning records what came in on testNow's morning, after the data set ends: a client
// call at each provider that is waiting for its callback.
func mondayMorning(t *testing.T, svc *ledger.Service, clk *clock) {
	t.Helper()
	for i, provider := range []string{"kenai", "northstar", "tongass"} {
		at := testNow.Add(-time.Duration(90-20*i) * time.Minute)
		clk.set(at)
		cmd, _ := json.Marshal(map[string]any{
			"type": "ReceiveClientCall", "provider": provider, "idempotency_key": "test-call-" + provider,
			"actor":      map[string]string{"staff_id": demo.ProgramManager(provider), "role": "program_manager"},
			"concern_id": "2026-11-Q9", "client_number": "12345678", "summary": "Client asks when the supportive service payment will arrive.",
		})
		if _, err := svc.Submit(t.Context(), cmd); err != nil {
			t.Fatal(err)
		}
	}
}

// token issues an API token.
func (e *env) token(t *testing.T, staff, role, provider string) string {
	t.Helper()
	tok, _, err := e.tokens.Create(t.Context(), auth.Grant{StaffID: staff, Role: role, Provider: provider})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// browser is an HTTP client with a cookie jar that does not follow redirects, so that tests
// see them.
type browser struct {
	t      *testing.T
	c      *http.Client
	origin string
}

func (e *env) browser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, origin: e.srv.URL, c: &http.Client{
		Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// signedIn returns a browser signed in as a new token of the role and provider.
func (e *env) signedIn(t *testing.T, staff, role, provider string) *browser {
	b := e.browser(t)
	res, _ := b.post("/login", url.Values{"token": {e.token(t, staff, role, provider)}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in as %s: status %d", role, res.StatusCode)
	}
	return b
}

// get fetches a path and returns the response and its body.
func (b *browser) get(path string) (*http.Response, string) {
	b.t.Helper()
	req, _ := http.NewRequestWithContext(b.t.Context(), http.MethodGet, b.origin+path, nil)
	return b.do(req)
}

// post sends a form the way a browser on the dashboard's own page does (same origin).
func (b *browser) post(path string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	req, _ := http.NewRequestWithContext(b.t.Context(), http.MethodPost, b.origin+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

func (b *browser) do(req *http.Request) (*http.Response, string) {
	b.t.Helper()
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return res, string(body)
}

// openFinding returns a negative finding of the provider that is not yet corrected at testNow.
func (e *env) openFinding(t *testing.T, provider string) projections.FindingStatus {
	t.Helper()
	cs, err := e.views.Corrections(provider, testNow)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range cs.Findings {
		if f.CorrectedAt.IsZero() && f.Status == domain.StatusOverdue {
			return f
		}
	}
	for _, f := range cs.Findings {
		if f.CorrectedAt.IsZero() {
			return f
		}
	}
	t.Fatalf("the demo data has no open finding for %s at %v", provider, testNow)
	return projections.FindingStatus{}
}
