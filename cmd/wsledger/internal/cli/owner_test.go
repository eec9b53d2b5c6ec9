package cli_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/store"
	"github.com/wsledger/wsledger/events"
)

// serveBinary starts the wsledger binary's serve on dir and returns the process and its URL.
func serveBinary(t *testing.T, bin, dir string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), bin, "serve", "--data", dir, "--http", "127.0.0.1:0")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		if m := servingAt.FindStringSubmatch(sc.Text()); m != nil {
			go func() {
				for sc.Scan() {
				}
			}()
			waitReady(t, m[1], "")
			return cmd, m[1]
		}
	}
	t.Fatal("serve ended before it served")
	return nil, ""
}

// changeCommand is a command the demo's tongass case manager may submit any number of times.
func changeCommand(id string) string {
	return fmt.Sprintf(`{"type":"LearnCircumstanceChange","provider":"tongass","actor":{"staff_id":"tongass-cm1","role":"case_manager"},"change_id":%q,"idempotency_key":%q,"client_number":"44401234","description":"New job."}`, id, id)
}

// TestSecondProcessOnTheDataDirectory runs wsledger serve on a data directory and, while it
// runs, a second process given the same directory: 1,000 commands in 20 runs of wsledger
// submit --data, beside 200 commands sent to the API. Every command of the second process goes
// through the server (or would be refused: none may open the store beside it); after serve is
// killed (kill -9), every acknowledged event is in the store, and the lock is free again.
func TestSecondProcessOnTheDataDirectory(t *testing.T) {
	bin := buildBinary(t)
	dir := filepath.Join(t.TempDir(), "data")
	if code, _, errOut := exitCode(t, bin, "", "demo", "--data", dir); code != 0 {
		t.Fatalf("demo: %s", errOut)
	}
	tokens := readTokens(t, filepath.Join(dir, "demo-tokens.txt"))
	serve, url := serveBinary(t, bin, dir)

	var mu sync.Mutex
	acked := map[string]bool{} // event ids
	var wg sync.WaitGroup
	wg.Go(func() { // the API's own clients
		for i := range 200 {
			body := strings.Replace(changeCommand(fmt.Sprintf("API-%d", i)), `"actor":{"staff_id":"tongass-cm1","role":"case_manager"},`, "", 1)
			req, _ := http.NewRequestWithContext(t.Context(), "POST", url+"/v1/commands", strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+tokens["tongass-pm"])
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			var r struct{ Events []events.Envelope }
			_ = json.NewDecoder(res.Body).Decode(&r)
			res.Body.Close()
			if res.StatusCode == http.StatusCreated {
				mu.Lock()
				for _, e := range r.Events {
					acked[e.ID] = true
				}
				mu.Unlock()
			}
		}
	})
	throughServer, refused := 0, 0
	for run := range 20 {
		var in bytes.Buffer
		for i := range 50 {
			fmt.Fprintln(&in, changeCommand(fmt.Sprintf("CLI-%d-%d", run, i)))
		}
		_, out, errOut := exitCode(t, bin, in.String(), "submit", "--data", dir)
		if strings.Contains(errOut, "in use by wsledger serve") {
			refused += 50
			continue
		}
		for _, line := range decodeLines(t, out) {
			if line["ok"] != true {
				t.Fatalf("a forwarded command failed: %v\n%s", line, errOut)
			}
			throughServer++
			for _, e := range line["events"].([]any) {
				mu.Lock()
				acked[e.(map[string]any)["id"].(string)] = true
				mu.Unlock()
			}
		}
	}
	wg.Wait()
	if throughServer+refused != 1000 || throughServer == 0 {
		t.Fatalf("second process: %d through the server, %d refused, of 1000", throughServer, refused)
	}
	t.Logf("second process: %d commands through the server, %d refused; %d events acknowledged in all", throughServer, refused, len(acked))

	if err := serve.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = serve.Wait()
	st, err := store.Open(t.Context(), store.Options{DataDir: dir})
	if err != nil {
		t.Fatalf("the lock outlived the killed serve: %v", err)
	}
	defer st.Close()
	for e, err := range st.Read(t.Context(), events.ReadOptions{Provider: "tongass"}) {
		if err != nil {
			t.Fatal(err)
		}
		delete(acked, e.ID)
	}
	if len(acked) != 0 {
		t.Fatalf("%d acknowledged events lost", len(acked))
	}
}

// TestDataDirectoryHeldByAnotherCommand shows a command that cannot go through a server
// refused, naming the process that holds the directory and what to do.
func TestDataDirectoryHeldByAnotherCommand(t *testing.T) {
	dir := t.TempDir()
	lock, err := store.Acquire(dir, "submit")
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Release()
	code, _, errOut := run(t.Context(), changeCommand("X-1")+"\n", nil, "submit", "--data", dir)
	want := fmt.Sprintf("in use by wsledger submit (pid %d)", lock.PID())
	if code != 1 || !strings.Contains(errOut, want) || !strings.Contains(errOut, "wait for it to finish") {
		t.Fatalf("exit %d, stderr %q; want 1 and %q", code, errOut, want)
	}
}

// TestTokensThroughTheServer manages tokens while serve runs: given --data, the token commands
// go through the server's API (as the store's owner), with --server and an admin token too;
// a created token works at once, a revoked one is refused at once, and a token for a provider
// that does not exist is refused.
func TestTokensThroughTheServer(t *testing.T) {
	s := serveDemo(t)
	status := func(token string) int {
		req, _ := http.NewRequestWithContext(t.Context(), "GET", s.url+"/v1/whoami", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	code, admin, errOut := run(t.Context(), "", nil, "token", "create", "--data", s.dir, "--staff", "ops1", "--role", "admin", "--provider", "*")
	admin = strings.TrimSpace(admin)
	if code != 0 || status(admin) != http.StatusOK {
		t.Fatalf("create through the lock: exit %d, %q; the token answers %d", code, errOut, status(admin))
	}
	asAdmin := map[string]string{"WSLEDGER_SERVER": s.url, "WSLEDGER_TOKEN": admin}
	code, cm, errOut := run(t.Context(), "", asAdmin, "token", "create", "--staff", "kenai-cm9", "--role", "case_manager", "--provider", "kenai")
	cm = strings.TrimSpace(cm)
	if code != 0 || status(cm) != http.StatusOK {
		t.Fatalf("create with --server: exit %d, %q; the token answers %d", code, errOut, status(cm))
	}
	code, list, _ := run(t.Context(), "", asAdmin, "token", "list", "--format", "json")
	var records []struct {
		ID      string `json:"id"`
		StaffID string `json:"staff_id"`
	}
	if err := json.Unmarshal([]byte(list), &records); code != 0 || err != nil {
		t.Fatalf("token list --server: exit %d, %v: %s", code, err, list)
	}
	id := ""
	for _, r := range records {
		if r.StaffID == "kenai-cm9" {
			id = r.ID
		}
	}
	code, rotated, errOut := run(t.Context(), "", nil, "token", "rotate", "--data", s.dir, id)
	rotated = strings.TrimSpace(rotated)
	if code != 0 || status(rotated) != http.StatusOK || status(cm) != http.StatusUnauthorized {
		t.Fatalf("rotate: exit %d, %q; new token %d, old %d", code, errOut, status(rotated), status(cm))
	}
	code, _, errOut = run(t.Context(), "", asAdmin, "token", "revoke", newID(t, asAdmin, "kenai-cm9"))
	if code != 0 || status(rotated) != http.StatusUnauthorized {
		t.Fatalf("revoke: exit %d, %q; the token still answers %d", code, errOut, status(rotated))
	}
	code, _, errOut = run(t.Context(), "", nil, "token", "create", "--data", s.dir, "--staff", "x1", "--role", "case_manager", "--provider", "nowhere")
	if code != 1 || !strings.Contains(errOut, "provider nowhere does not exist") {
		t.Fatalf("a token for a provider that does not exist: exit %d, %q", code, errOut)
	}
}

// newID returns the id of the unrevoked token of a member of staff.
func newID(t *testing.T, env map[string]string, staff string) string {
	t.Helper()
	_, list, _ := run(t.Context(), "", env, "token", "list", "--format", "json")
	var records []struct {
		ID        string `json:"id"`
		StaffID   string `json:"staff_id"`
		RevokedAt string `json:"revoked_at"`
	}
	if err := json.Unmarshal([]byte(list), &records); err != nil {
		t.Fatal(err)
	}
	for _, r := range records {
		if r.StaffID == staff && r.RevokedAt == "" {
			return r.ID
		}
	}
	t.Fatalf("no live token of %s", staff)
	return ""
}
