package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/wsledger/wsledger/events"
)

func readAll(provider string) events.ReadOptions { return events.ReadOptions{Provider: provider} }

const call = `{"type":"ReceiveClientCall","provider":"north","idempotency_key":"call-1","concern_id":"Q1","client_number":"12345678","summary":"benefit late"}`

func TestSubmitCommand(t *testing.T) {
	ls := startServer(t)

	first := ls.submit(t, "cm", call)
	if first.status != http.StatusCreated {
		t.Fatalf("first submit: %d %s", first.status, first.body)
	}
	firstID := first.json(t)["events"].([]any)[0].(map[string]any)["id"]

	t.Run("idempotent retry returns the first result", func(t *testing.T) {
		again := ls.submit(t, "cm", call)
		m := again.json(t)
		if again.status != http.StatusOK || m["duplicate"] != true || m["events"].([]any)[0].(map[string]any)["id"] != firstID {
			t.Fatalf("retry: %d %s", again.status, again.body)
		}
	})
	t.Run("the token's actor fills a command without one", func(t *testing.T) {
		m := first.json(t)["events"].([]any)[0].(map[string]any)["actor"].(map[string]any)
		if m["staff_id"] != "cm1" || m["role"] != "case_manager" {
			t.Fatalf("actor = %v", m)
		}
	})

	tests := []struct {
		name, who, command string
		status             int
		code, field        string
		recorded           string // provider for which the refusal must now be recorded
	}{
		{name: "conflict: the concern is already recorded", who: "cm",
			command: `{"type":"ReceiveClientCall","provider":"north","idempotency_key":"call-2","concern_id":"Q1","client_number":"12345678","summary":"again"}`,
			status:  409, code: "conflict", field: "concern_id"},
		{name: "conflict: a key reused for another command", who: "cm",
			command: `{"type":"ReceiveClientCall","provider":"north","idempotency_key":"call-1","concern_id":"Q9","client_number":"12345678","summary":"other"}`,
			status:  409, code: "conflict", field: "idempotency_key"},
		{name: "invalid: a malformed client number", who: "cm",
			command: `{"type":"ReceiveClientCall","provider":"north","concern_id":"Q2","client_number":"12ab","summary":"s"}`,
			status:  400, code: "invalid", field: "client_number"},
		{name: "invalid: an unknown field", who: "cm",
			command: `{"type":"ReceiveClientCall","provider":"north","concern_id":"Q2","client_number":"12345678","summary":"s","colour":"red"}`,
			status:  400, code: "invalid", field: "colour"},
		{name: "invalid: a wrong type", who: "pm",
			command: `{"type":"ReceiveWSQRFindings","provider":"north","wsqr_id":"W1","period":"2026-Q1","work_verification":{"correct":"nine","reviewed":10}}`,
			status:  400, code: "invalid", field: "work_verification.correct"},
		{name: "invalid: not JSON", who: "cm", command: `{"type":`, status: 400, code: "invalid"},
		{name: "not found: an unknown concern", who: "cm",
			command: `{"type":"ReturnClientCall","provider":"north","concern_id":"Q404"}`,
			status:  404, code: "not_found", field: "concern_id"},
		{name: "forbidden: another provider", who: "cm",
			command: `{"type":"ReceiveClientCall","provider":"south","concern_id":"Q3","client_number":"12345678","summary":"s"}`,
			status:  403, code: "forbidden", field: "actor", recorded: "south"},
		{name: "forbidden: another actor", who: "cm",
			command: `{"type":"ReceiveClientCall","provider":"north","actor":{"staff_id":"pm1","role":"program_manager"},"concern_id":"Q3","client_number":"12345678","summary":"s"}`,
			status:  403, code: "forbidden", field: "actor", recorded: "north"},
		{name: "forbidden: auditors do not write", who: "auditor",
			command: `{"type":"ReceiveClientCall","provider":"north","concern_id":"Q3","client_number":"12345678","summary":"s"}`,
			status:  403, code: "forbidden", field: "actor", recorded: "north"},
		{name: "forbidden: the role may not issue the command", who: "cm",
			command: `{"type":"PostPerformanceMeasures","provider":"north","period":"2026-02","measures":[{"measure":"m1","numerator":1,"denominator":2}]}`,
			status:  403, code: "forbidden", field: "actor.role", recorded: "north"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := 0
			if tt.recorded != "" {
				before = ls.refusalCount(t, tt.recorded)
			}
			r := ls.submit(t, tt.who, tt.command)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			e := r.errorOf(t)
			if e["code"] != tt.code || (tt.field != "" && e["field"] != tt.field) || e["message"] == "" {
				t.Errorf("error %v, want code %s field %s", e, tt.code, tt.field)
			}
			if strings.Contains(string(r.body), "12345678") {
				t.Error("the error repeats the client number")
			}
			if tt.recorded != "" && ls.refusalCount(t, tt.recorded) != before+1 {
				t.Errorf("the refusal was not recorded for %s", tt.recorded)
			}
		})
	}
}

func TestSubmitRefusesLargeBodies(t *testing.T) {
	ls := startServer(t)
	big := `{"type":"ReceiveClientCall","provider":"north","concern_id":"Q1","client_number":"12345678","summary":"` + strings.Repeat("x", 2<<20) + `"}`
	r := ls.submit(t, "cm", big)
	if r.status != http.StatusRequestEntityTooLarge || r.errorOf(t)["code"] != "invalid" {
		t.Fatalf("status %d: %.200s", r.status, r.body)
	}
}

func TestUnauthenticated(t *testing.T) {
	ls := startServer(t)
	for _, tt := range []struct{ name, header string }{
		{"no token", ""},
		{"unknown token", "Bearer wsl_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
		{"not a bearer token", "Basic YWRtaW46YWRtaW4="},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequestWithContext(t.Context(), "POST", ls.URL+"/v1/commands", strings.NewReader(call))
			if tt.header != "" {
				req.Header.Set("Authorization", tt.header)
			}
			res, err := ls.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusUnauthorized || !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Fatalf("status %d, WWW-Authenticate %q", res.StatusCode, res.Header.Get("WWW-Authenticate"))
			}
		})
	}
}
