package reliability

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/store"
	"github.com/wsledger/wsledger/events"
)

// crashClients is how many HTTP clients append while the server is killed under them.
const crashClients = 4

// ack is what the server answered for a command it acknowledged.
type ack struct {
	Sequence  uint64 `json:"sequence"`
	Duplicate bool   `json:"duplicate"`
	Events    []struct {
		ID       string `json:"id"`
		Position uint64 `json:"position"`
	} `json:"events"`
}

// crashServer is the wsledger serve child process, killed and restarted on one data directory.
type crashServer struct {
	bin, data, sync, addr, stderr string
	cmd                           *exec.Cmd
}

func buildWsledger(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "wsledger")
	out, err := exec.CommandContext(t.Context(), "go", "build", "-o", bin, "github.com/wsledger/wsledger/cmd/wsledger").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// freeAddr is a loopback address with a port nobody listened on a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func runWsledger(t *testing.T, bin string, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	cmd := exec.CommandContext(t.Context(), bin, args...)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("wsledger %s: %v\n%s", strings.Join(args, " "), err, errOut.String())
	}
	return out.String()
}

// start runs serve and waits until /readyz answers 200; it returns how long that took.
func (s *crashServer) start(t *testing.T) time.Duration {
	t.Helper()
	began := time.Now()
	f, err := os.OpenFile(s.stderr, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s.cmd = exec.Command(s.bin, "serve", "--data", s.data, "--http", s.addr, "--sync", s.sync)
	s.cmd.Stdout, s.cmd.Stderr = f, f
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(90 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		res, err := http.Get("http://" + s.addr + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return time.Since(began)
			}
		}
	}
	log, _ := os.ReadFile(s.stderr)
	t.Fatalf("the server never became ready:\n%s", log)
	return 0
}

func (s *crashServer) kill(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = s.cmd.Wait() // "signal: killed"
}

func (s *crashServer) stop(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			log, _ := os.ReadFile(s.stderr)
			t.Fatalf("serve exited with %v after SIGTERM:\n%s", err, log)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("serve did not stop within 60s of SIGTERM")
	}
}

// post sends one command until the server acknowledges it (201, or 200 for a duplicate),
// retrying connection failures and server errors with the same command and key as a real client
// would. A refusal (4xx) ends the test.
func post(t *testing.T, client *http.Client, addr, token string, raw []byte) ack {
	t.Helper()
	for deadline := time.Now().Add(3 * time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, "http://"+addr+"/v1/commands", bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := client.Do(req)
		if err != nil {
			if t.Context().Err() != nil {
				t.Fatal(err)
			}
			continue
		}
		var body bytes.Buffer
		_, err = body.ReadFrom(res.Body)
		res.Body.Close()
		switch {
		case err != nil || res.StatusCode >= 500:
			continue
		case res.StatusCode == http.StatusCreated || res.StatusCode == http.StatusOK:
			var a ack
			if err := json.Unmarshal(body.Bytes(), &a); err != nil || len(a.Events) == 0 {
				t.Fatalf("acknowledgement %s: %v", body.Bytes(), err)
			}
			return a
		default:
			t.Fatalf("command refused with %d: %s\n%s", res.StatusCode, body.Bytes(), raw)
		}
	}
	t.Fatalf("command never acknowledged:\n%s", raw)
	return ack{}
}

// TestCrashKill9 has 4 HTTP clients record calls through the real wsledger binary while it is
// killed with SIGKILL at random moments and restarted on the same data directory, each client
// retrying an unanswered command with the same key. Afterwards the store must verify, and hold
// every acknowledged event exactly once, at contiguous positions, each concern once.
func TestCrashKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the binary")
	}
	bin := buildWsledger(t)
	cycles := scale(3, 20)
	for _, mode := range []string{"default", "always"} {
		t.Run("sync "+mode, func(t *testing.T) {
			data := filepath.Join(t.TempDir(), "data")
			// The first token is an admin's for every provider; the others are for north, which
			// must be registered first, and are created through the running serve.
			tokens := map[string]string{"ad1": strings.TrimSpace(runWsledger(t, bin, "token", "create", "--data", data, "--staff", "ad1", "--role", "admin", "--provider", "*"))}
			s := &crashServer{bin: bin, data: data, sync: mode, addr: freeAddr(t), stderr: filepath.Join(t.TempDir(), "serve.log")}
			s.start(t)
			t.Cleanup(func() {
				if s.cmd.ProcessState == nil {
					s.kill(t)
				}
			})
			client := &http.Client{Timeout: 15 * time.Second}
			post(t, client, s.addr, tokens["ad1"], command("RegisterProvider", "admin", "ad1", "k-reg", `"name":"North","region":"southcentral","occurred_at":"2026-01-05T09:00:00"`))
			for _, g := range [][2]string{{"pm1", "program_manager"}, {"cm1", "case_manager"}} {
				out := runWsledger(t, bin, "token", "create", "--data", data, "--staff", g[0], "--role", g[1], "--provider", "north")
				tokens[g[0]] = strings.TrimSpace(out)
			}
			post(t, client, s.addr, tokens["pm1"], roster("k-roster-0", "Pat", nil))

			var (
				mu       sync.Mutex
				acked    = map[string]ack{} // idempotency key -> the acknowledgement
				retried  int                // acknowledgements that were duplicates: an unanswered try had been stored
				stopping atomic.Bool
				wg       sync.WaitGroup
			)
			for w := range crashClients {
				wg.Go(func() {
					for i := 0; !stopping.Load() && !t.Failed(); i++ {
						key := fmt.Sprintf("k-w%d-%d", w, i)
						a := post(t, client, s.addr, tokens["cm1"], call(key, fmt.Sprintf("Q-%d-%d", w, i)))
						mu.Lock()
						acked[key] = a
						if a.Duplicate {
							retried++
						}
						mu.Unlock()
					}
				})
			}
			var maxReady time.Duration
			for range cycles {
				time.Sleep(200*time.Millisecond + rand.N(600*time.Millisecond))
				s.kill(t)
				maxReady = max(maxReady, s.start(t))
			}
			time.Sleep(300 * time.Millisecond)
			stopping.Store(true)
			wg.Wait()
			s.stop(t)
			if t.Failed() {
				return
			}

			if out := runWsledger(t, bin, "verify", "--data", data); !strings.Contains(out, "north: intact") {
				t.Errorf("verify:\n%s", out)
			}
			lost, duplicates := checkStored(t, data, acked)
			t.Logf("--sync %s: %d kill -9 cycles, %d calls acknowledged (%d answered as duplicates of a try the kill cut off), lost %d, duplicates %d, max restart-to-ready %v",
				mode, cycles, len(acked), retried, lost, duplicates, maxReady.Round(time.Millisecond))
		})
	}
}

// checkStored reads north's chain back and checks it against the acknowledgements: positions
// 1..N, no event id, idempotency key or concern twice, every acknowledged event stored as
// acknowledged. It returns the acknowledged events missing and the events stored twice.
func checkStored(t *testing.T, data string, acked map[string]ack) (lost, duplicates int) {
	t.Helper()
	st, err := store.Open(t.Context(), store.Options{DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	type stored struct {
		id       string
		position uint64
	}
	ids, keys, concerns := map[string]bool{}, map[string]stored{}, map[string]bool{}
	var position uint64
	for e, err := range st.Log.Read(t.Context(), events.ReadOptions{Provider: "north"}) {
		if err != nil {
			t.Fatal(err)
		}
		position++
		if e.Position != position {
			t.Errorf("event %s at position %d, want %d", e.ID, e.Position, position)
		}
		if ids[e.ID] {
			t.Errorf("event %s stored twice", e.ID)
			duplicates++
		}
		ids[e.ID] = true
		if e.Type != events.TypeClientCallReceived {
			continue
		}
		if _, seen := keys[e.IdempotencyKey]; seen {
			t.Errorf("command %s stored twice", e.IdempotencyKey)
			duplicates++
		}
		keys[e.IdempotencyKey] = stored{e.ID, e.Position}
		var p struct {
			ConcernID string `json:"concern_id"`
		}
		if err := json.Unmarshal(e.Payload, &p); err != nil || p.ConcernID == "" {
			t.Fatalf("event %s: no concern_id in %s: %v", e.ID, e.Payload, err)
		}
		if concerns[p.ConcernID] {
			t.Errorf("concern %s recorded twice", p.ConcernID)
			duplicates++
		}
		concerns[p.ConcernID] = true
	}
	for key, a := range acked {
		got, ok := keys[key]
		switch {
		case !ok:
			t.Errorf("acknowledged command %s (event %s, position %d) is not stored", key, a.Events[0].ID, a.Events[0].Position)
			lost++
		case got.id != a.Events[0].ID || got.position != a.Events[0].Position:
			t.Errorf("command %s acknowledged as event %s at position %d but stored as %s at %d", key, a.Events[0].ID, a.Events[0].Position, got.id, got.position)
			lost++
		}
	}
	if len(keys) != len(acked) {
		t.Errorf("%d calls stored, %d acknowledged", len(keys), len(acked))
	}
	return lost, duplicates
}
