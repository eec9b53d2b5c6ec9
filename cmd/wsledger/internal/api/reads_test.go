package api_test

import (
	"bufio"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/wsledger/wsledger/events"
)

func TestReadAccess(t *testing.T) {
	ls := startServer(t)
	tests := []struct {
		who, path string
		status    int
		recorded  string
	}{
		{"pm", "/v1/verify?provider=north", 200, ""},
		{"pm", "/v1/verify", 200, ""}, // a token for one provider reads its own by default
		{"cm", "/v1/digest?provider=north", 200, ""},
		{"auditor", "/v1/verify?provider=south", 200, ""},
		{"auditor", "/v1/verify", 200, ""},
		{"cm", "/v1/verify?provider=south", 403, "south"},
		{"cmSouth", "/v1/digest?provider=north", 403, "north"},
		{"wsta", "/v1/verify?provider=north", 403, "north"},
		{"auditor", "/v1/digest", 400, ""},
		{"auditor", "/v1/digest?provider=North.%3E", 400, ""},
		{"auditor", "/v1/verify?provider=north&position=x&hash=y", 400, ""},
		{"auditor", "/v1/nothing-here", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.who+" "+tt.path, func(t *testing.T) {
			before := 0
			if tt.recorded != "" {
				before = ls.refusalCount(t, tt.recorded)
			}
			r := ls.get(t, tt.who, tt.path)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			if tt.recorded != "" && ls.refusalCount(t, tt.recorded) != before+1 {
				t.Errorf("the denial was not recorded for %s", tt.recorded)
			}
		})
	}
}

func TestVerifyAndDigest(t *testing.T) {
	ls := startServer(t)
	d := ls.get(t, "auditor", "/v1/digest?provider=north").json(t)
	if d["provider"] != "north" || d["position"] != float64(2) || len(d["hash"].(string)) != 64 {
		t.Fatalf("digest %v", d)
	}
	if d["last_sequence"] != d["sequence"] || d["head_hash"] != d["hash"] {
		t.Fatalf("digest %v: last_sequence and head_hash must repeat sequence and hash", d)
	}
	ls.mustSubmit(t, "cm", call)
	path := fmt.Sprintf("/v1/verify?provider=north&position=%v&hash=%v", d["position"], d["hash"])
	if rep := ls.get(t, "auditor", path).json(t); rep["intact"] != true || rep["events"] != float64(3) {
		t.Fatalf("verify against the digest: %v", rep)
	}
	forged := fmt.Sprintf("/v1/verify?provider=north&position=2&hash=%s", strings.Repeat("0", 64))
	rep := ls.get(t, "auditor", forged).json(t)
	if tamper, _ := rep["tamper"].(map[string]any); rep["intact"] != false || tamper["kind"] != events.Diverged {
		t.Fatalf("verify against a forged digest: %v", rep)
	}
	all := ls.get(t, "auditor", "/v1/verify").json(t)
	if reports, _ := all["reports"].([]any); len(reports) != 2 {
		t.Fatalf("verify all: %v", all)
	}
}

func TestWhoamiAndProviders(t *testing.T) {
	ls := startServer(t)
	if who := ls.get(t, "cm", "/v1/whoami").json(t); who["staff_id"] != "cm1" || who["provider"] != "north" {
		t.Fatalf("whoami %v", who)
	}
	for who, want := range map[string]string{"cm": "[north]", "auditor": "[north south]", "wsta": "[]"} {
		got := fmt.Sprint(ls.get(t, who, "/v1/providers").json(t)["providers"])
		if got != want {
			t.Errorf("%s reads providers %s, want %s", who, got, want)
		}
	}
}

func TestEventStream(t *testing.T) {
	ls := startServer(t)
	req, _ := http.NewRequestWithContext(t.Context(), "GET", ls.URL+"/v1/events?provider=north", nil)
	req.Header.Set("Authorization", "Bearer "+ls.tokens["pm"])
	res, err := ls.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("status %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(res.Body)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	<-lines // the opening comment: the stream is subscribed
	sub := ls.mustSubmit(t, "cm", call).json(t)
	// The event comes as id, name and data; a "views" message says the read models applied it.
	// Which arrives first depends on who is quicker, the stream's consumer or the runner.
	want := fmt.Sprintf("id: %v", sub["sequence"])
	timeout := time.After(10 * time.Second)
	next := func() string {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("the stream ended")
			}
			return l
		case <-timeout:
			t.Fatal("no event and views message within 10s")
		}
		return ""
	}
	sawEvent, sawViews := false, false
	for !sawEvent || !sawViews {
		switch l := next(); {
		case l == want:
			if name, data := next(), next(); name != "event: ClientCallReceived" || !strings.HasPrefix(data, `data: {"id":`) {
				t.Fatalf("after %q the stream sent %q and %q", want, name, data)
			}
			sawEvent = true
		case strings.HasPrefix(l, "data: ") && strings.Contains(l, `"open_concerns":1`):
			sawViews = true
		}
	}
	// Another provider's stream is refused.
	r := ls.do(t, "GET", "/v1/events?provider=south", ls.tokens["pm"], nil)
	if r.status != http.StatusForbidden {
		t.Fatalf("another provider's stream: %d", r.status)
	}
}

func TestMetricsCarryNoPersonalData(t *testing.T) {
	ls := startServer(t)
	ls.mustSubmit(t, "cm", call)
	ls.get(t, "cm", "/v1/verify?provider=south")
	ls.do(t, "GET", "/v1/whoami", "", nil)
	m := string(ls.do(t, "GET", "/metrics", "", nil).body)
	for _, want := range []string{
		`wsledger_http_requests_total{code="201",method="POST",route="POST /v1/commands"}`,
		`wsledger_commands_total{result="ok",type="ReceiveClientCall"}`,
		`wsledger_access_denied_total{reason="forbidden"} 1`,
		`wsledger_access_denied_total{reason="unauthenticated"} 1`,
		`go_goroutines`,
	} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	// Provider ids (organisations) label the ledger's heads; people and clients label nothing.
	for _, personal := range []string{"12345678", "Q1", "cm1", "pm1"} {
		if strings.Contains(m, personal) {
			t.Errorf("metrics mention %q", personal)
		}
	}
}

func TestEventStreamResumes(t *testing.T) {
	ls := startServer(t)
	seq := ls.mustSubmit(t, "cm", call).json(t)["sequence"].(float64)
	for _, tt := range []struct{ name, header, query string }{
		{"Last-Event-ID", fmt.Sprint(seq - 1), ""},
		{"from", "", fmt.Sprintf("&from=%v", seq)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequestWithContext(t.Context(), "GET", ls.URL+"/v1/events?provider=north"+tt.query, nil)
			req.Header.Set("Authorization", "Bearer "+ls.tokens["pm"])
			if tt.header != "" {
				req.Header.Set("Last-Event-ID", tt.header)
			}
			res, err := ls.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			sc := bufio.NewScanner(res.Body)
			sc.Buffer(nil, 1<<20)
			for sc.Scan() {
				if l := sc.Text(); strings.HasPrefix(l, "id: ") {
					if l != fmt.Sprintf("id: %v", seq) {
						t.Fatalf("resumed at %q, want sequence %v", l, seq)
					}
					return
				}
			}
			t.Fatal("the stream ended without an event")
		})
	}
}
