package cli_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// TestSubmitRetriesUnavailableWithItsKey: a server answering 503 (the ledger holding appends
// while it checks its store, or electing a leader) gets a command with an idempotency key again
// until it is stored, since the key stores it at most once; a command without a key gets its 503
// reported after one request, since sending it again could store it twice.
func TestSubmitRetriesUnavailableWithItsKey(t *testing.T) {
	tests := []struct {
		name, command string
		wantCode      int
		wantRequests  int32
		wantOut       string
	}{
		{"with a key", `{"type":"ReceiveClientCall","provider":"north","idempotency_key":"k-1"}`, 0, 3, `"sequence":7`},
		{"without a key", `{"type":"ReceiveClientCall","provider":"north"}`, 1, 1, `"code":"unavailable"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var requests atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				if requests.Add(1) < 3 {
					w.Header().Set("Retry-After", "2")
					w.WriteHeader(http.StatusServiceUnavailable)
					w.Write([]byte(`{"ok":false,"error":{"code":"unavailable","message":"The ledger is checking its store; retry."}}`))
					return
				}
				w.WriteHeader(http.StatusCreated)
				w.Write([]byte(`{"ok":true,"sequence":7,"events":[]}`))
			}))
			defer srv.Close()
			code, out, errOut := run(t.Context(), tt.command+"\n", map[string]string{"WSLEDGER_SERVER": srv.URL, "WSLEDGER_TOKEN": "wsl_test"}, "submit")
			if code != tt.wantCode || requests.Load() != tt.wantRequests || !strings.Contains(out, tt.wantOut) {
				t.Errorf("exit %d after %d requests, want %d after %d; output lacks %s:\n%s%s", code, requests.Load(), tt.wantCode, tt.wantRequests, tt.wantOut, out, errOut)
			}
		})
	}
}
