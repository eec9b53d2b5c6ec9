package cli_test

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/api"
	"github.com/wsledger/wsledger/events/evidence"
	"github.com/wsledger/wsledger/events/natslog/natstest"
)

// smallLedger submits a provider's registration, roster and n calls to a new data directory
// through `wsledger submit --data`, which signs the provider's checkpoint as it exits, and
// returns the directory and the results, one per command.
func smallLedger(t *testing.T, n int) (string, []api.Result) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data")
	var in strings.Builder
	in.WriteString(`{"type":"RegisterProvider","provider":"north","idempotency_key":"reg","actor":{"staff_id":"ad1","role":"admin"},"name":"North","region":"southcentral","occurred_at":"2026-01-05T09:00:00"}` + "\n")
	in.WriteString(`{"type":"SubmitStaffRoster","provider":"north","idempotency_key":"roster","actor":{"staff_id":"pm1","role":"program_manager"},"month":"2026-01","occurred_at":"2026-01-05T10:00:00","staff":[{"staff_id":"pm1","name":"Pat","role":"program_manager"},{"staff_id":"cm1","name":"Cas","role":"case_manager","supervisor_id":"pm1"}]}` + "\n")
	for i := range n {
		fmt.Fprintf(&in, `{"type":"ReceiveClientCall","provider":"north","idempotency_key":"call-%d","actor":{"staff_id":"cm1","role":"case_manager"},"concern_id":"Q-%d","client_number":"12345678","summary":"Benefit late.","occurred_at":"2026-01-06T09:%02d:00"}`+"\n", i, i, i)
	}
	out := mustRun(t, in.String(), "submit", "--data", dir)
	var results []api.Result
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var r api.Result
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		results = append(results, r)
	}
	return dir, results
}

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestEvidenceCommands walks the evidence contract on a small ledger: every receipt carries
// provider, position and leaf_hash; verifier-key prints the ledger's key; checkpoint prints the
// signed note; prove prints inclusion and consistency proofs that an independent RFC 9162
// implementation accepts against the checkpoint; verify checks the store against its
// checkpoints and a kept one. Once the private key is gone from the machine, verify and prove
// still run with the verifier key alone; a checkpoint signed by another key, or a wrong
// verifier key, fails.
func TestEvidenceCommands(t *testing.T) {
	dir, results := smallLedger(t, 5)
	var leaves [][]byte
	for i, r := range results {
		e := r.Events[0]
		if e.Provider != "north" || e.Position != uint64(i+1) || len(e.LeafHash) != 64 {
			t.Fatalf("receipt %d: provider %q, position %d, leaf_hash %q", i, e.Provider, e.Position, e.LeafHash)
		}
		leaves = append(leaves, unhex(t, e.LeafHash))
	}

	vkey := strings.TrimSpace(mustRun(t, "", "verifier-key", "--data", dir))
	if kept, _ := os.ReadFile(dir + "-keys/verifier.key"); strings.TrimSpace(string(kept)) != vkey || !strings.HasPrefix(vkey, "wsledger+") {
		t.Fatalf("verifier key %q, kept beside the signing key %q", vkey, kept)
	}
	note := mustRun(t, "", "checkpoint", "--provider", "north", "--data", dir)
	c, err := evidence.Open([]byte(note), vkey)
	if err != nil {
		t.Fatalf("checkpoint:\n%s\n%v", note, err)
	}
	if c.Origin != "wsledger/north" || c.Size != int64(len(results)) {
		t.Fatalf("checkpoint of %q size %d, want wsledger/north size %d", c.Origin, c.Size, len(results))
	}
	held := filepath.Join(t.TempDir(), "north.checkpoint")
	writeFile(t, held, note)

	// From here on no private key is on the machine.
	if err := os.Remove(dir + "-keys/signing.key"); err != nil {
		t.Fatal(err)
	}

	out := mustRun(t, "", "prove", "--event", results[2].Events[0].ID, "--data", dir, "--verifier-key", vkey)
	var fields map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &fields); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"provider", "leaf_index", "tree_size", "leaf_hash", "hashes", "checkpoint"} {
		if _, ok := fields[f]; !ok {
			t.Fatalf("prove --event prints no %q:\n%s", f, out)
		}
	}
	var inc struct {
		Provider   string   `json:"provider"`
		LeafIndex  uint64   `json:"leaf_index"`
		TreeSize   uint64   `json:"tree_size"`
		LeafHash   string   `json:"leaf_hash"`
		Hashes     []string `json:"hashes"`
		Checkpoint string   `json:"checkpoint"`
	}
	json.Unmarshal([]byte(out), &inc)
	var path [][]byte
	for _, h := range inc.Hashes {
		path = append(path, unhex(t, h))
	}
	if inc.LeafIndex != 2 || inc.TreeSize != uint64(c.Size) || inc.LeafHash != results[2].Events[0].LeafHash || inc.Checkpoint != note {
		t.Fatalf("inclusion proof %+v", inc)
	}
	if err := proof.VerifyInclusion(rfc6962.DefaultHasher, inc.LeafIndex, inc.TreeSize, unhex(t, inc.LeafHash), path, c.Root[:]); err != nil {
		t.Fatalf("the inclusion proof does not verify with transparency-dev/merkle: %v", err)
	}

	out = mustRun(t, "", "prove", "--provider", "north", "--consistency", "--from", "2", "--to", fmt.Sprint(c.Size), "--data", dir, "--verifier-key", vkey)
	var con struct {
		Provider string   `json:"provider"`
		From     uint64   `json:"from"`
		To       uint64   `json:"to"`
		Hashes   []string `json:"hashes"`
	}
	if err := json.Unmarshal([]byte(out), &con); err != nil || con.Provider != "north" || con.From != 2 || con.To != uint64(c.Size) {
		t.Fatalf("consistency proof %s (%v)", out, err)
	}
	var old []evidence.Hash
	for _, l := range leaves[:2] {
		old = append(old, evidence.Hash(l))
	}
	oldRoot, _ := evidence.RootOf(old)
	path = nil
	for _, h := range con.Hashes {
		path = append(path, unhex(t, h))
	}
	if err := proof.VerifyConsistency(rfc6962.DefaultHasher, 2, uint64(c.Size), path, oldRoot[:], c.Root[:]); err != nil {
		t.Fatalf("the consistency proof does not verify with transparency-dev/merkle: %v", err)
	}

	out = mustRun(t, "", "verify", "--data", dir, "--verifier-key", vkey, "--checkpoint", held)
	if !strings.Contains(out, fmt.Sprintf("extends the signed checkpoint of size %d", c.Size)) {
		t.Fatalf("verify:\n%s", out)
	}

	otherS, otherV, _ := evidence.GenerateKey("wsledger")
	forged, err := evidence.Sign(evidence.Checkpoint{Origin: "wsledger/north", Size: c.Size, Root: c.Root}, otherS)
	if err != nil {
		t.Fatal(err)
	}
	forgedFile := filepath.Join(t.TempDir(), "forged.checkpoint")
	writeFile(t, forgedFile, string(forged))
	for name, args := range map[string][]string{
		"a checkpoint signed by another key": {"verify", "--data", dir, "--verifier-key", vkey, "--checkpoint", forgedFile},
		"another verifier key":               {"verify", "--data", dir, "--verifier-key", otherV},
	} {
		code, _, errOut := run(t.Context(), "", nil, args...)
		if code != 1 || !strings.Contains(errOut, "forged") {
			t.Errorf("%s: exit %d, %s; want 1 naming a forged checkpoint", name, code, errOut)
		}
	}
}

// TestEventPageShowsItsProof: on a served ledger, an event's page shows its leaf hash, the
// inclusion path, the root of the signed checkpoint and the signed note itself, and they check
// with the ledger's verifier key.
func TestEventPageShowsItsProof(t *testing.T) {
	s := serveDemo(t, "--checkpoint-interval", "100ms")
	vkey := strings.TrimSpace(mustRun(t, "", "verifier-key", "--data", s.dir))
	auditor := s.tokens["csqa-auditor"]
	var info struct {
		Size int64 `json:"size"`
	}
	natstest.Poll(t, time.Minute, "kenai's checkpoint", func() bool {
		code, out, _ := run(t.Context(), "", map[string]string{"WSLEDGER_SERVER": s.url, "WSLEDGER_TOKEN": auditor}, "checkpoint", "--provider", "kenai")
		if code != 0 {
			return false
		}
		c, err := evidence.Open([]byte(out), vkey)
		if err == nil {
			info.Size = c.Size
		}
		return err == nil && c.Size > 0
	})
	var proof struct {
		Event string `json:"event"`
	}
	code, out, errOut := run(t.Context(), "", map[string]string{"WSLEDGER_SERVER": s.url, "WSLEDGER_TOKEN": auditor}, "audit", "--provider", "kenai", "--format", "json")
	if code != 0 {
		t.Fatalf("audit: %s", errOut)
	}
	var trail struct {
		Entries []struct {
			ID string `json:"id"`
		} `json:"entries"`
	}
	if err := json.Unmarshal([]byte(out), &trail); err != nil || len(trail.Entries) == 0 {
		t.Fatalf("audit: %v %.300s", err, out)
	}
	proof.Event = trail.Entries[0].ID

	page := dashboardPage(t, s.url, auditor, "/events/"+proof.Event)
	for _, want := range []string{`id="leaf-hash"`, `id="proof-path"`, `id="checkpoint-root"`, `id="checkpoint-note"`, "wsledger/kenai"} {
		if !strings.Contains(page, want) {
			t.Fatalf("the event page shows no %s:\n%.2000s", want, page)
		}
	}
	note := page[strings.Index(page, `id="checkpoint-note"`):]
	note = html.UnescapeString(note[strings.Index(note, ">")+1 : strings.Index(note, "</pre>")])
	if _, err := evidence.Open([]byte(note), vkey); err != nil {
		t.Fatalf("the checkpoint on the event page does not verify: %v\n%s", err, note)
	}

	// The verification page runs the whole-store check, as verify does, and names the checkpoint.
	page = dashboardPage(t, s.url, auditor, "/providers/kenai/verify")
	m := regexp.MustCompile(`id="verify-checkpoint">(\d+)<`).FindStringSubmatch(page)
	if !strings.Contains(page, "✓ Intact:") || m == nil {
		t.Fatalf("the verification page:\n%.2000s", section(page, "<main", "</main>"))
	}
	if n, _ := strconv.ParseInt(m[1], 10, 64); n < info.Size {
		t.Fatalf("the verification page names the checkpoint of size %d; one of size %d was signed before", n, info.Size)
	}
}

// dashboardPage signs in to the dashboard with a token and returns the page at path, which
// must answer 200.
func dashboardPage(t *testing.T, base, token, path string) string {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	res, err := c.PostForm(base+"/login", url.Values{"token": {token}})
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("sign-in: %v %v", res, err)
	}
	res.Body.Close()
	res, err = c.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%s: status %d\n%.1000s", path, res.StatusCode, body)
	}
	return string(body)
}

// section returns s from the first from to the first to after it (or the rest).
func section(s, from, to string) string {
	if i := strings.Index(s, from); i >= 0 {
		s = s[i:]
	}
	if i := strings.Index(s, to); i >= 0 {
		s = s[:i]
	}
	return s
}
