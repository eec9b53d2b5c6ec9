package api_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/wsledger/wsledger/domain"
)

// list gets path as who and returns the array in field of the answer, which must be a 200.
func (ls *ledgerServer) list(t *testing.T, who, path, field string) []any {
	t.Helper()
	r := ls.get(t, who, path)
	if r.status != http.StatusOK {
		t.Fatalf("%s: %d %s", path, r.status, r.body)
	}
	items, _ := r.json(t)[field].([]any)
	return items
}

func TestViews(t *testing.T) {
	ls := startServer(t)
	before := time.Now().UTC().Format(time.RFC3339Nano)
	time.Sleep(10 * time.Millisecond)
	seq := ls.mustSubmit(t, "cm", call).json(t)["sequence"]
	wait := fmt.Sprintf("&min_sequence=%v", seq)

	concerns := func(query string) []any {
		t.Helper()
		return ls.list(t, "pm", "/v1/concerns?provider=north"+query, "items")
	}
	if items := concerns(wait); len(items) != 1 || items[0].(map[string]any)["concern_id"] != "Q1" {
		t.Fatalf("live concerns: %v", items)
	}
	if items := concerns("&as_of=" + before); len(items) != 0 {
		t.Fatalf("concerns as of before the call: %v", items)
	}
	if items := concerns("&as_of=" + before + "&clock=occurred"); len(items) != 0 {
		t.Fatalf("concerns as of before the call, occurred clock: %v", items)
	}
	// as-of, the command line's spelling, asks the same question.
	if items := concerns("&as-of=" + before); len(items) != 0 {
		t.Fatalf("concerns as-of before the call: %v", items)
	}

	tests := []struct {
		who, path string
		status    int
	}{
		{"pm", "/v1/deadlines?provider=north" + wait, 200},
		{"pm", "/v1/deadlines?as_of=" + before, 200},
		{"pm", "/v1/deadlines?as_of=2020-03-31", 404}, // before the provider was registered
		{"pm", "/v1/coverage", 200},
		{"auditor", "/v1/rates?provider=north", 200},
		{"auditor", "/v1/corrections?provider=north", 200},
		{"auditor", "/v1/overview?provider=south", 200},
		{"auditor", "/v1/audit?provider=north&type=ClientCallReceived", 200},
		{"auditor", "/v1/statewide", 200},
		{"wsta", "/v1/statewide", 200}, // WSTA oversees every provider, as on the dashboard
		{"pm", "/v1/statewide", 403},
		{"pm", "/v1/deadlines?provider=south", 403},
		{"wsta", "/v1/deadlines?provider=north", 403},
		{"pm", "/v1/deadlines?as_of=yesterday", 400},
		{"pm", "/v1/deadlines?as-of=yesterday", 400},
		{"pm", "/v1/deadlines?as_of=" + before + "&as-of=2020-03-31", 400},
		{"pm", "/v1/deadlines?as_of=" + before + "&as-of=" + before, 200},
		{"pm", "/v1/deadlines?clock=wall", 400},
		{"auditor", "/v1/deadlines?provider=nobody", 404},
		{"auditor", "/v1/deadlines", 400},
	}
	for _, tt := range tests {
		t.Run(tt.who+" "+tt.path, func(t *testing.T) {
			if r := ls.get(t, tt.who, tt.path); r.status != tt.status {
				t.Fatalf("status %d, want %d: %.300s", r.status, tt.status, r.body)
			}
		})
	}
	audit := ls.get(t, "auditor", "/v1/audit?provider=north&type=ClientCallReceived").json(t)
	if entries, _ := audit["entries"].([]any); audit["intact"] != true || len(entries) != 1 {
		t.Fatalf("audit: %v", audit)
	}
}

// TestAuditKindAndFromDate: ?kind= is another name for ?type=, and a date in ?from= includes the
// whole of that day in Anchorage, as a date in ?to= does.
func TestAuditKindAndFromDate(t *testing.T) {
	ls := startServer(t)
	ls.mustSubmit(t, "cm", call)
	entries := func(query string) []any {
		t.Helper()
		return ls.list(t, "auditor", "/v1/audit?provider=north"+query, "entries")
	}
	calls := entries("&type=ClientCallReceived")
	if len(calls) != 1 {
		t.Fatalf("calls: %v", calls)
	}
	recorded, err := time.Parse(time.RFC3339Nano, calls[0].(map[string]any)["recorded_at"].(string))
	if err != nil {
		t.Fatal(err)
	}
	day := domain.DateOf(recorded)
	tests := []struct {
		query string
		want  int
	}{
		{"&kind=ClientCallReceived", 1},
		{"&kind=ClientCallReceived,ConcernResolved", 1},
		{"&kind=ConcernResolved", 0},
		{"&kind=ClientCallReceived&from=" + day.String(), 1},
		{"&kind=ClientCallReceived&from=" + day.String() + "&to=" + day.String(), 1},
		{"&kind=ClientCallReceived&from=" + day.AddDays(1).String(), 0},
		{"&kind=ClientCallReceived&to=" + day.AddDays(-1).String(), 0},
	}
	for _, tt := range tests {
		if got := entries(tt.query); len(got) != tt.want {
			t.Errorf("audit%s: %d entries, want %d", tt.query, len(got), tt.want)
		}
	}
}
