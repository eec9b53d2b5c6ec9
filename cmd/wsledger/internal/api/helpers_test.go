package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/refusals"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/streams"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/api"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/auth"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/ledger"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/store"
	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/projections"
	"github.com/wsledger/wsledger/projections/runner"
	"github.com/wsledger/wsledger/projections/wsta"
)

// ledgerServer is a real API on a loopback port over a real embedded NATS ledger.
type ledgerServer struct {
	*httptest.Server
	store   *store.Store
	tokens  map[string]string // by name: admin, pm, cm, cmSouth, auditor, wsta
	auth    *auth.Tokens
	refused *refusals.Recorder
}

func startServer(t *testing.T) *ledgerServer {
	t.Helper()
	st, err := store.Open(t.Context(), store.Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	tokens, err := auth.OpenTokens(t.Context(), st.JetStream(), 1, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	views := projections.New(st, domain.DefaultPolicy())
	run := views.Runner(st.JetStream(), runner.Options{})
	ctx, cancel := context.WithCancel(context.WithoutCancel(t.Context()))
	done := make(chan error, 1)
	go func() { done <- run.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	feed, err := wsta.New(t.Context(), st, st.FeedJetStream(), wsta.Options{})
	if err != nil {
		t.Fatal(err)
	}
	feedDone := make(chan error, 1)
	go func() { feedDone <- feed.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-feedDone })
	refused, err := refusals.Open(t.Context(), st.JetStream(), refusals.Options{Interval: time.Hour, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	srv := api.New(api.Config{Refusals: refused, Streams: streams.New(8, 20), Log: st, Service: ledger.New(st, domain.DefaultPolicy(), time.Now), Tokens: tokens, TokenAdmin: tokens,
		Views: views, Follower: run, JetStream: st.FeedJetStream(), Digests: feed, Version: "test",
		Operations: api.Operations{FeedPosition: feed.Position}})
	ls := &ledgerServer{Server: httptest.NewServer(srv), store: st, tokens: map[string]string{}, auth: tokens, refused: refused}
	t.Cleanup(ls.Close)
	for name, g := range map[string]auth.Grant{
		"admin":   {StaffID: "ad1", Role: "admin", Provider: "*"},
		"pm":      {StaffID: "pm1", Role: "program_manager", Provider: "north"},
		"cm":      {StaffID: "cm1", Role: "case_manager", Provider: "north"},
		"cmSouth": {StaffID: "cs1", Role: "case_manager", Provider: "south"},
		"auditor": {StaffID: "aud1", Role: "csqa_auditor", Provider: "*"},
		"wsta":    {StaffID: "ws1", Role: "wsta", Provider: "*"},
	} {
		tok, _, err := tokens.Create(t.Context(), g)
		if err != nil {
			t.Fatal(err)
		}
		ls.tokens[name] = tok
	}
	for _, p := range []string{"north", "south"} {
		ls.mustSubmit(t, "admin", fmt.Sprintf(`{"type":"RegisterProvider","provider":%q,"idempotency_key":"reg-%s","name":"%s Work Services","region":"southcentral"}`, p, p, p))
	}
	roster := ls.mustSubmit(t, "pm", `{"type":"SubmitStaffRoster","provider":"north","idempotency_key":"roster","month":"2026-03","staff":[
		{"staff_id":"pm1","name":"Pat","role":"program_manager"},{"staff_id":"cm1","name":"Cas","role":"case_manager","supervisor_id":"pm1"}]}`)
	// The views hold the providers before a test reads them; a minute is a guard, not a measure.
	seq, ok := roster.json(t)["sequence"].(float64)
	if !ok {
		t.Fatalf("the roster's answer has no sequence: %s", roster.body)
	}
	wait, stop := context.WithTimeout(t.Context(), time.Minute)
	defer stop()
	if err := run.WaitFor(wait, uint64(seq)); err != nil {
		t.Fatalf("the views did not apply the setup: %v", err)
	}
	return ls
}

// response is a decoded API answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("status %d, body %q: %v", r.status, r.body, err)
	}
	return m
}

// errorOf returns the error object of an error response.
func (r response) errorOf(t *testing.T) map[string]any {
	t.Helper()
	e, _ := r.json(t)["error"].(map[string]any)
	if e == nil {
		t.Fatalf("status %d without an error object: %s", r.status, r.body)
	}
	return e
}

func (ls *ledgerServer) do(t *testing.T, method, path, token string, body []byte) response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, ls.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := ls.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: b}
}

func (ls *ledgerServer) submit(t *testing.T, who, command string) response {
	t.Helper()
	return ls.do(t, "POST", "/v1/commands", ls.tokens[who], []byte(command))
}

func (ls *ledgerServer) mustSubmit(t *testing.T, who, command string) response {
	t.Helper()
	r := ls.submit(t, who, command)
	if r.status != http.StatusCreated && r.status != http.StatusOK {
		t.Fatalf("submit as %s: %d %s\n%s", who, r.status, r.body, command)
	}
	return r
}

func (ls *ledgerServer) get(t *testing.T, who, path string) response {
	t.Helper()
	return ls.do(t, "GET", path, ls.tokens[who], nil)
}

// lastEventType returns the type of a provider's last event.
func (ls *ledgerServer) lastEventType(t *testing.T, provider string) string {
	t.Helper()
	var last string
	for e, err := range ls.store.Read(t.Context(), readAll(provider)) {
		if err != nil {
			t.Fatal(err)
		}
		last = e.Type
	}
	return last
}

// refusalCount returns how many refusals aimed at a provider are recorded: the API's, outside
// its history, and the rules', as AccessDenied events in it.
func (ls *ledgerServer) refusalCount(t *testing.T, provider string) int {
	t.Helper()
	recs, err := ls.refused.Read(t.Context(), provider)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range recs {
		n += r.Count
	}
	for e, err := range ls.store.Read(t.Context(), readAll(provider)) {
		if err != nil {
			t.Fatal(err)
		}
		if e.Type == events.TypeAccessDenied {
			n++
		}
	}
	return n
}
