package api_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"
)

func TestViews(t *testing.T) {
	ls := startServer(t)
	before := time.Now().UTC().Format(time.RFC3339Nano)
	time.Sleep(10 * time.Millisecond)
	seq := ls.mustSubmit(t, "cm", call).json(t)["sequence"]
	wait := fmt.Sprintf("&min_sequence=%v", seq)

	concerns := func(query string) []any {
		t.Helper()
		r := ls.get(t, "pm", "/v1/concerns?provider=north"+query)
		if r.status != http.StatusOK {
			t.Fatalf("concerns%s: %d %s", query, r.status, r.body)
		}
		items, _ := r.json(t)["items"].([]any)
		return items
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
