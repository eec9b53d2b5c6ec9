package api_test

import (
	"bufio"
	"fmt"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/api"
	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/projections"
	"github.com/wsledger/wsledger/projections/runner"
)

// scrape returns the unlabelled and labelled samples of /metrics by their names as written.
func scrape(t *testing.T, ls *ledgerServer) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	sc := bufio.NewScanner(strings.NewReader(string(ls.do(t, "GET", "/metrics", "", nil).body)))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if v, err := strconv.ParseFloat(line[i+1:], 64); err == nil {
			out[line[:i]] = v
		}
	}
	return out
}

// TestOperationsMetrics: /metrics carries the ledger's last sequence, every provider's head
// position as the views applied it, and how far behind the read models and the WSTA feed are,
// in events and in seconds.
func TestOperationsMetrics(t *testing.T) {
	ls := startServer(t)
	seq := ls.mustSubmit(t, "cm", call).json(t)["sequence"]
	overview := ls.get(t, "pm", fmt.Sprintf("/v1/overview?provider=north&min_sequence=%v", seq)).json(t)
	last, err := ls.store.LastSequence(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]float64
	// The WSTA feed follows the log on its own: scrape until it has read the call too, a minute
	// at most.
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(20 * time.Millisecond) {
		if m = scrape(t, ls); m["wsledger_wsta_feed_lag_events"] == 0 || time.Now().After(deadline) {
			break
		}
	}
	for name, want := range map[string]float64{
		"wsledger_ledger_last_sequence":                   float64(last),
		`wsledger_ledger_head_position{provider="north"}`: overview["events"].(float64),
		"wsledger_projection_lag_events":                  0,
		"wsledger_projection_lag_seconds":                 0,
		"wsledger_wsta_feed_lag_events":                   0,
		"wsledger_wsta_feed_lag_seconds":                  0,
	} {
		if got, ok := m[name]; !ok || got != want {
			t.Errorf("%s = %v (present %v), want %v", name, got, ok, want)
		}
	}

	// Read models that have applied nothing are behind by every event, the oldest of which has
	// been waiting since the first was appended.
	views := projections.New(ls.store, domain.DefaultPolicy())
	idle := views.Runner(ls.store.JetStream(), runner.Options{Name: "idle"})
	behind := &ledgerServer{Server: httptest.NewServer(api.New(api.Config{Log: ls.store, Views: views, Follower: idle,
		JetStream: ls.store.JetStream(), Version: "test"})), store: ls.store}
	t.Cleanup(behind.Close)
	m = scrape(t, behind)
	if m["wsledger_projection_lag_events"] != float64(last) || m["wsledger_projection_lag_seconds"] <= 0 {
		t.Errorf("idle read models: lag %v events, %v seconds; want %d events and some seconds",
			m["wsledger_projection_lag_events"], m["wsledger_projection_lag_seconds"], last)
	}
}

// TestAccessLog: every request is logged with its method, route pattern, status, size and
// duration, never with its path's values or its query.
func TestAccessLog(t *testing.T) {
	var logs syncBuffer
	ls := loggedServer(t, startServer(t), &logs)
	ls.get(t, "pm", "/v1/verify?provider=north&position=1&hash=abc")
	ls.get(t, "pm", "/v1/no-such-route/12345678")
	text := logs.String()
	for _, want := range []string{`msg="http request" method=GET route="GET /v1/verify" status=400 bytes=`, `route=/v1/ status=404`} {
		if !strings.Contains(text, want) {
			t.Errorf("the access log lacks %q:\n%s", want, text)
		}
	}
	for _, never := range []string{"provider=north", "hash=abc", "12345678"} {
		if strings.Contains(text, never) {
			t.Errorf("the access log holds %q:\n%s", never, text)
		}
	}
}
