package reliability

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
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
)

// proc is one wsledger process as serve runs it for writes: the store, the ledger service
// sharing the ledger with the other processes (the writer lease), the token store and the HTTP
// API on a loopback port.
type proc struct {
	st     *store.Store
	svc    *ledger.Service
	tokens *auth.Tokens
	http   *httptest.Server
}

// startProc starts a process on the store o names. With share false the service writes itself
// beside the others, as every process did before the writer lease: for comparison only.
func startProc(t *testing.T, o store.Options, share bool) *proc {
	t.Helper()
	st, err := store.Open(t.Context(), o)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.WithoutCancel(t.Context()))
	tokens, err := auth.OpenTokens(ctx, st.JetStream(), st.Replicas(), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	go tokens.Watch(ctx)
	svc := ledger.New(st, domain.DefaultPolicy(), time.Now)
	if share {
		err := svc.Share(ctx, st.Conn(), st.JetStream(), ledger.ShareOptions{Stream: st.StreamName(), Replicas: st.Replicas(), Campaign: true})
		if err != nil {
			t.Fatal(err)
		}
	}
	a := api.New(api.Config{Log: st, Service: svc, Tokens: tokens, Ready: st.Writable, Version: "test"})
	p := &proc{st: st, svc: svc, tokens: tokens, http: httptest.NewServer(a)}
	t.Cleanup(func() {
		p.http.Close()
		cancel()
		st.Close()
	})
	return p
}

// reply is an API answer.
type reply struct {
	status int
	body   []byte
}

// post sends a command to the process as the token's holder.
func (p *proc) post(ctx context.Context, token string, command []byte) (reply, error) {
	req, err := http.NewRequestWithContext(ctx, "POST", p.http.URL+"/v1/commands", bytes.NewReader(command))
	if err != nil {
		return reply{}, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := p.http.Client().Do(req)
	if err != nil {
		return reply{}, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	return reply{status: res.StatusCode, body: body}, err
}

// readyz returns the process's readiness status.
func (p *proc) readyz(t *testing.T) reply {
	t.Helper()
	res, err := p.http.Client().Get(p.http.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return reply{status: res.StatusCode, body: body}
}

// eventIDs returns the ids of the events an accepted command's answer names.
func (r reply) eventIDs() ([]string, error) {
	var res api.Result
	if err := json.Unmarshal(r.body, &res); err != nil {
		return nil, err
	}
	ids := make([]string, len(res.Events))
	for i, e := range res.Events {
		ids[i] = e.ID
	}
	return ids, nil
}

// grants gives, per provider, a program manager's token, and an admin token ("*").
func grants(t *testing.T, p *proc, providers []string) map[string]string {
	t.Helper()
	tokens := map[string]string{}
	g := auth.Grant{StaffID: "ad1", Role: events.RoleAdmin, Provider: "*"}
	tok, _, err := p.tokens.Create(t.Context(), g)
	if err != nil {
		t.Fatal(err)
	}
	tokens["*"] = tok
	for _, pr := range providers {
		tok, _, err := p.tokens.Create(t.Context(), auth.Grant{StaffID: "pm1", Role: events.RoleProgramManager, Provider: pr})
		if err != nil {
			t.Fatal(err)
		}
		tokens[pr] = tok
	}
	return tokens
}

// register registers each provider and submits its staff roster through p.
func register(t *testing.T, p *proc, tokens map[string]string, providers []string) {
	t.Helper()
	for _, pr := range providers {
		for _, c := range []struct{ token, body string }{
			{tokens["*"], fmt.Sprintf(`{"type":"RegisterProvider","provider":%q,"idempotency_key":"reg","name":"%s Work Services","region":"southcentral"}`, pr, pr)},
			{tokens[pr], fmt.Sprintf(`{"type":"SubmitStaffRoster","provider":%q,"idempotency_key":"roster","month":"2026-03","staff":[
				{"staff_id":"pm1","name":"Pat","role":"program_manager"},{"staff_id":"cm1","name":"Cas","role":"case_manager","supervisor_id":"pm1"}]}`, pr)},
		} {
			r := sendUntilAnswered(t, p, c.token, []byte(c.body))
			if r.status != http.StatusCreated && r.status != http.StatusOK {
				t.Fatalf("set-up of %s: %d %s", pr, r.status, r.body)
			}
		}
	}
}

// sendUntilAnswered sends a command until it gets an answer other than 503, as clients are told
// to: the same command, with the same idempotency key.
func sendUntilAnswered(t *testing.T, p *proc, token string, command []byte) reply {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		r, err := p.post(t.Context(), token, command)
		if err == nil && r.status != http.StatusServiceUnavailable {
			return r
		}
		if time.Now().After(deadline) {
			t.Fatalf("no answer but 503 for a minute: %v %s", err, r.body)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// storedOnce checks that every acknowledged command (idempotency key -> event ids) is stored
// exactly once, as acknowledged, and returns how many events the ledger holds in all.
func storedOnce(t *testing.T, log events.Log, acked map[string][]string) int {
	t.Helper()
	byKey := map[string][]string{}
	n := 0
	for e, err := range log.Read(t.Context(), events.ReadOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		if e.IdempotencyKey != "" {
			k := e.Provider + "/" + e.IdempotencyKey
			byKey[k] = append(byKey[k], e.ID)
		}
	}
	for key, ids := range acked {
		got := byKey[key]
		if fmt.Sprint(got) != fmt.Sprint(ids) {
			t.Errorf("command %s: acknowledged as %v, stored as %v", key, ids, got)
		}
	}
	return n
}
