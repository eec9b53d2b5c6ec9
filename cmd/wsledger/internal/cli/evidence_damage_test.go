package cli_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	neturl "net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/checkpoints"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/store"
	"github.com/wsledger/wsledger/events/evidence"
	"github.com/wsledger/wsledger/events/natslog/natstest"
)

// damageCase is one way a store can lose or change what its checkpoints cover.
type damageCase struct {
	name string
	// damage changes the copy of the data directory dir, which nothing has open.
	damage func(t *testing.T, dir string)
	// held, when set, is a checkpoint kept outside the store that the verifies are given.
	held bool
	// found is what verify must name.
	found string
}

// lastRecord applies edit to the last record of the ledger stream's block file.
func lastRecord(edit func(buf []byte, r natstest.Record) []byte) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		natstest.EditBlock(t, dir, func(buf []byte, recs []natstest.Record) []byte { return edit(buf, recs[len(recs)-1]) })
	}
}

func removeIndex(t *testing.T, dir string) {
	t.Helper()
	if err := os.Remove(filepath.Join(filepath.Dir(natstest.BlockFile(t, dir)), "index.db")); err != nil {
		t.Fatal(err)
	}
}

// editTip rewrites the last sequence the ledger recorded at its last clean close, as an
// operator hiding a cut tail would.
func editTip(t *testing.T, dir string, last uint64) {
	t.Helper()
	data, _ := json.Marshal(map[string]any{"stream": "LEDGER", "last_seq": last})
	if err := os.WriteFile(filepath.Join(dir, "wsledger-tip.json"), data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestEvidenceFindsDamage damages copies of a small ledger whose events a signed checkpoint
// covers, in the ways a disk or an operator with the store's files can: the last record flipped,
// the block cut inside the last record or at its start, the index removed and the tip file
// edited to match, a checkpoint signed with another key stored beside the real ones, and a
// rollback to an older copy of the whole store, which only a checkpoint kept outside shows.
// Every time, the CLI's verify (on the files) and the API's (through serve) exit non-zero
// naming what they found, serve's /readyz is not ready, and serve refuses appends.
func TestEvidenceFindsDamage(t *testing.T) {
	dir, results := smallLedger(t, 3)
	olderCopy := filepath.Join(t.TempDir(), "older")
	natstest.CopyDir(t, dir, olderCopy)
	var more strings.Builder
	for i := range 9 {
		fmt.Fprintf(&more, `{"type":"ReceiveClientCall","provider":"north","idempotency_key":"later-%d","actor":{"staff_id":"cm1","role":"case_manager"},"concern_id":"L-%d","client_number":"12345678","summary":"Benefit late.","occurred_at":"2026-01-07T09:%02d:00"}`+"\n", i, i, i)
	}
	mustRun(t, more.String(), "submit", "--data", dir)
	key := dir + "-keys/signing.key"
	vkey := strings.TrimSpace(mustRun(t, "", "verifier-key", "--data", dir))
	heldNote := mustRun(t, "", "checkpoint", "--provider", "north", "--data", dir)
	held := filepath.Join(t.TempDir(), "held.checkpoint")
	writeFile(t, held, heldNote)
	last := uint64(len(results) + 9)

	cases := []damageCase{
		{"the last record flipped", lastRecord(func(buf []byte, r natstest.Record) []byte {
			buf[r.Data+10] ^= 0x01
			return buf
		}), false, "north"},
		{"the block cut inside the last record", lastRecord(func(buf []byte, r natstest.Record) []byte {
			return buf[:(r.Start+r.End)/2]
		}), false, "north"},
		{"the block cut at the last record's start, the index removed, the tip file edited", func(t *testing.T, dir string) {
			lastRecord(func(buf []byte, r natstest.Record) []byte { return buf[:r.Start] })(t, dir)
			removeIndex(t, dir)
			editTip(t, dir, last-1)
		}, false, "removed"},
		{"a checkpoint signed by another key stored", func(t *testing.T, dir string) {
			storeForged(t, dir)
		}, false, "forged"},
		{"a rollback to an older copy of the whole store", func(t *testing.T, dir string) {
			if err := os.RemoveAll(dir); err != nil {
				t.Fatal(err)
			}
			natstest.CopyDir(t, olderCopy, dir)
		}, true, "removed"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			copyDir := filepath.Join(t.TempDir(), "data")
			natstest.CopyDir(t, dir, copyDir)
			tt.damage(t, copyDir)
			args := []string{"verify", "--data", copyDir, "--verifier-key", vkey}
			if tt.held {
				args = append(args, "--checkpoint", held)
			}
			code, _, errOut := run(t.Context(), "", nil, args...)
			if code != 1 || !strings.Contains(errOut, "NOT intact") || !strings.Contains(errOut, tt.found) {
				t.Fatalf("CLI verify: exit %d:\n%s\nwant 1, naming %q", code, errOut, tt.found)
			}

			token := strings.TrimSpace(mustRun(t, "", "token", "create", "--staff", "aud1", "--role", "csqa_auditor", "--provider", "*", "--data", copyDir))
			admin := strings.TrimSpace(mustRun(t, "", "token", "create", "--staff", "ad1", "--role", "admin", "--provider", "*", "--data", copyDir))
			url, _ := startServe(t, []string{"serve", "--data", copyDir, "--http", "127.0.0.1:0", "--signing-key", key, "--subject-key", dir + "-keys/subject.key"})
			env := map[string]string{"WSLEDGER_SERVER": url, "WSLEDGER_TOKEN": token}
			args = []string{"verify"}
			if tt.held {
				args = append(args, "--provider", "north", "--checkpoint", held)
			}
			code, _, apiOut := run(t.Context(), "", env, args...)
			if code != 1 || !strings.Contains(apiOut, "NOT intact") {
				t.Fatalf("API verify: exit %d:\n%s\nwant 1", code, apiOut)
			}
			if status := waitReadyz(t, url); status != http.StatusServiceUnavailable {
				t.Fatalf("/readyz answered %d, want 503", status)
			}
			if page := dashboardPage(t, url, token, "/providers/north/verify"); !tt.held && !strings.Contains(page, "NOT intact") {
				t.Fatalf("the dashboard's verification page:\n%.2000s", section(page, "<main", "</main>"))
			}
			env["WSLEDGER_TOKEN"] = admin
			code, out, _ := run(t.Context(), `{"type":"RegisterProvider","provider":"south","idempotency_key":"reg-south","name":"South","region":"southcentral"}`+"\n", env, "submit")
			if code == 0 {
				t.Fatalf("an append on the damaged store was accepted: %s", out)
			}
			t.Logf("%s:\n  CLI verify: %s\n  API verify: %s\n  append: %s", tt.name, firstLine(errOut), firstLine(apiOut), strings.TrimSpace(out))
		})
	}
}

// waitReadyz returns /readyz's status once the server has had the time to check its store.
func waitReadyz(t *testing.T, url string) int {
	t.Helper()
	status := 0
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		res, err := http.Get(url + "/readyz")
		if err != nil {
			continue
		}
		res.Body.Close()
		if status = res.StatusCode; status == http.StatusServiceUnavailable {
			return status
		}
	}
	return status
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}

// storeForged stores, as an operator with the store's files and NATS access could, a
// checkpoint of north signed with a key that is not the ledger's.
func storeForged(t *testing.T, dir string) {
	t.Helper()
	st, err := store.Open(t.Context(), store.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	skey, _, _ := evidence.GenerateKey("wsledger")
	root, _ := evidence.RootOf([]evidence.Hash{evidence.LeafHash([]byte("forged"))})
	note, err := evidence.Sign(evidence.Checkpoint{Origin: "wsledger/north", Size: 1, Root: root}, skey)
	if err != nil {
		t.Fatal(err)
	}
	m := nats.NewMsg(checkpoints.SubjectPrefix + ".north")
	m.Data = note
	if _, err := st.JetStream().PublishMsg(t.Context(), m); err != nil {
		t.Fatal(err)
	}
}

// TestAWrongCopyDoesNotStopAppends: a reader who verifies the store against a made-up digest or
// a checkpoint that does not verify with the ledger's key is told its copy does not match, and
// the ledger goes on taking appends: only the store's own evidence and checkpoints the ledger
// signed stop them (TestEvidenceFindsDamage).
func TestAWrongCopyDoesNotStopAppends(t *testing.T) {
	dir, _ := smallLedger(t, 3)
	note := mustRun(t, "", "checkpoint", "--provider", "north", "--data", dir)
	body, sig, _ := strings.Cut(note, "\n\n")
	// The ledger's note with one character of its signature's base64 changed.
	i := strings.LastIndexByte(strings.TrimRight(sig, "\n"), ' ') + 10
	flipped := byte('A')
	if sig[i] == 'A' {
		flipped = 'B'
	}
	badSig := body + "\n\n" + sig[:i] + string(flipped) + sig[i+1:]
	otherKey, _, _ := evidence.GenerateKey("wsledger")
	root, _ := evidence.RootOf([]evidence.Hash{evidence.LeafHash([]byte("made up"))})
	forged, err := evidence.Sign(evidence.Checkpoint{Origin: "wsledger/north", Size: 1, Root: root}, otherKey)
	if err != nil {
		t.Fatal(err)
	}
	pm := strings.TrimSpace(mustRun(t, "", "token", "create", "--staff", "pm1", "--role", "program_manager", "--provider", "north", "--data", dir))
	url, _ := startServe(t, []string{"serve", "--data", dir, "--http", "127.0.0.1:0"})
	waitReady(t, url, "")
	for i, tt := range []struct{ name, query string }{
		{"a made-up digest", "position=2&hash=" + strings.Repeat("0", 64)},
		{"the ledger's checkpoint with its signature changed", "checkpoint=" + neturl.QueryEscape(badSig)},
		{"a checkpoint signed by another key", "checkpoint=" + neturl.QueryEscape(string(forged))},
	} {
		t.Run(tt.name, func(t *testing.T) {
			status, out := request(t, "GET", url+"/v1/verify?provider=north&"+tt.query, pm, "")
			if status != http.StatusOK || !strings.Contains(out, `"intact":false`) {
				t.Fatalf("GET /v1/verify: %d %s; want 200 saying the copy does not match", status, out)
			}
			if res, err := http.Get(url + "/readyz"); err != nil || res.StatusCode != http.StatusOK {
				t.Fatalf("/readyz after verifying %s: %v %v; want 200", tt.name, res, err)
			}
			call := fmt.Sprintf(`{"type":"ReceiveClientCall","provider":"north","idempotency_key":"after-%d","concern_id":"A-%d","client_number":"12345678","summary":"Benefit late.","occurred_at":"2026-01-08T09:00:00"}`, i, i)
			if status, out := request(t, "POST", url+"/v1/commands", pm, call); status != http.StatusCreated && status != http.StatusOK {
				t.Fatalf("an append after verifying %s: %d %s", tt.name, status, out)
			}
		})
	}
}
