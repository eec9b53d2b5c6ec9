package cli_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/demo"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/store"
)

// TestDemoClientNumbersStayOut runs serve --demo and looks for every client number of the demo
// data where none may be: the subjects of every stream in the store (ledger, WSTA feed, tokens,
// snapshots), the server's log, /metrics, and refusals of commands that carry them.
func TestDemoClientNumbersStayOut(t *testing.T) {
	numbers := demoClientNumbers(t)
	if len(numbers) < 100 {
		t.Fatalf("the demo data has %d client numbers; the scan needs them", len(numbers))
	}
	dir := t.TempDir()
	// Registered before the server starts, so that it runs once the server has stopped.
	t.Cleanup(func() { checkSubjects(t, dir, numbers) })
	url, logs := startServe(t, []string{"serve", "--demo", "--demo-end", demoEndDay.String(), "--data", dir, "--http", "127.0.0.1:0"})
	waitReady(t, url, "")
	tokens := readTokens(t, filepath.Join(dir, "demo-tokens.txt"))

	// Refusals that would be tempted to quote a client number: one given where an id belongs,
	// one repeated for a concern the demo already recorded, one on a command that takes none.
	someone := numbers[0]
	var refusals []string
	for _, cmd := range []string{
		`{"type":"ReceiveClientCall","provider":"kenai","concern_id":"` + someone + `.x","client_number":"` + someone + `","summary":"again"}`,
		`{"type":"ReceiveClientCall","provider":"kenai","concern_id":"2026-01-Q1","client_number":"` + someone + `","summary":"again"}`,
		`{"type":"ReturnClientCall","provider":"kenai","concern_id":"2026-01-Q1","client_number":"` + someone + `"}`,
		`{"type":"ReceiveClientCall","provider":"tongass","concern_id":"X1","client_number":"` + someone + `","summary":"not my provider"}`,
	} {
		status, body := request(t, "POST", url+"/v1/commands", tokens["kenai-pm"], cmd)
		if status < 400 || status >= 500 {
			t.Errorf("status %d for a refused command: %s", status, body)
		}
		refusals = append(refusals, body)
		t.Logf("refused with %d: %s", status, strings.TrimSpace(body))
	}
	_, metrics := request(t, "GET", url+"/metrics", "", "")
	for _, view := range []string{"deadlines", "concerns", "overview"} {
		if status, body := request(t, "GET", url+"/v1/"+view+"?provider=kenai", tokens["csqa-auditor"], ""); status != http.StatusOK {
			t.Errorf("%s: status %d: %s", view, status, body)
		}
	}

	for where, text := range map[string]string{
		"the server's log": logs.String(),
		"/metrics":         metrics,
		"refusals":         strings.Join(refusals, "\n"),
	} {
		if n := firstFound(text, numbers); n != "" {
			t.Errorf("a demo client number appears in %s", where)
		}
	}
}

// demoClientNumbers lists the client numbers the demo data set records (every eight-digit
// string value of its commands).
func demoClientNumbers(t *testing.T) []string {
	t.Helper()
	eight := regexp.MustCompile(`^[0-9]{8}$`)
	seen := map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for _, e := range v {
				walk(e)
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		case string:
			if eight.MatchString(v) {
				seen[v] = true
			}
		}
	}
	for _, c := range demo.Commands(demo.EndOn(demoEndDay, time.Now())) {
		var v any
		if err := json.Unmarshal(c.JSON, &v); err != nil {
			t.Fatal(err)
		}
		walk(v)
	}
	out := make([]string, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	return out
}

// checkSubjects opens the stopped server's store and fails the test if any subject of any of its
// streams holds a client number.
func checkSubjects(t *testing.T, dir string, numbers []string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st, err := store.Open(ctx, store.Options{DataDir: dir})
	if err != nil {
		t.Errorf("open the store: %v", err)
		return
	}
	defer st.Close()
	js := st.JetStream()
	streams, subjects := 0, 0
	names := js.StreamNames(ctx)
	for name := range names.Name() {
		s, err := js.Stream(ctx, name)
		if err != nil {
			t.Errorf("stream %s: %v", name, err)
			continue
		}
		info, err := s.Info(ctx, jetstream.WithSubjectFilter(">"))
		if err != nil {
			t.Errorf("stream %s subjects: %v", name, err)
			continue
		}
		streams++
		for subj := range info.State.Subjects {
			subjects++
			if firstFound(subj, numbers) != "" {
				t.Errorf("stream %s has a subject holding a demo client number", name)
			}
		}
	}
	if names.Err() != nil {
		t.Errorf("stream names: %v", names.Err())
	}
	t.Logf("%d demo client numbers looked for in %d subjects of %d streams", len(numbers), subjects, streams)
	if streams < 2 || subjects < 100 {
		t.Errorf("scanned %d streams and %d subjects; the demo store has more", streams, subjects)
	}
}

// firstFound returns the first of numbers that text contains, or "".
func firstFound(text string, numbers []string) string {
	for _, n := range numbers {
		if strings.Contains(text, n) {
			return n
		}
	}
	return ""
}

// request sends one HTTP request with a bearer token (none when token is "") and returns the
// status and body.
func request(t *testing.T, method, url, token, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, string(b)
}
