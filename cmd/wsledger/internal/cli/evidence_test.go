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
	"github.com/wsledger/wsledger/cmd/wsledger/internal/checkpoints"
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
	in.WriteString(northCalls(0, n))
	return dir, submitted(t, dir, in.String())
}

// northCalls are n client calls to north's case manager cm1, numbered from from.
func northCalls(from, n int) string {
	var in strings.Builder
	for i := from; i < from+n; i++ {
		fmt.Fprintf(&in, `{"type":"ReceiveClientCall","provider":"north","idempotency_key":"call-%d","actor":{"staff_id":"cm1","role":"case_manager"},"concern_id":"Q-%d","client_number":"12345678","summary":"Benefit late.","occurred_at":"2026-01-06T09:%02d:00"}`+"\n", i, i, i)
	}
	return in.String()
}

// submitted runs `wsledger submit --data dir` on the commands and returns its results, one per
// command.
func submitted(t *testing.T, dir, commands string) []api.Result {
	t.Helper()
	out := mustRun(t, commands, "submit", "--data", dir)
	var results []api.Result
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var r api.Result
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		results = append(results, r)
	}
	return results
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

// TestProveAtAnEarlierCheckpoint: an auditor holds north's checkpoint of size 5 while the ledger
// has since signed one of size 7. `prove --event ID --size 5` on the store, the same through the
// serving ledger, and GET /v1/proofs?event=ID&size=5 each give the event's proof in the tree of
// size 5: tree_size 5, the signed note of size 5, and a path that checks against that note's
// root, which is the root the auditor holds. A size that is not a whole number, one the event is
// not in, and one of no signed checkpoint are refused naming size, alike from the store and from
// the API, as is a size given to a consistency proof; a token that may not read north is refused
// as it is without size.
func TestProveAtAnEarlierCheckpoint(t *testing.T) {
	dir, results := smallLedger(t, 3) // registration, roster and 3 calls: north's checkpoint of size 5
	vkey := strings.TrimSpace(mustRun(t, "", "verifier-key", "--data", dir))
	early := mustRun(t, "", "checkpoint", "--provider", "north", "--data", dir)
	submitted(t, dir, `{"type":"RegisterProvider","provider":"south","idempotency_key":"reg-south","actor":{"staff_id":"ad1","role":"admin"},"name":"South","region":"southcentral","occurred_at":"2026-01-05T09:00:00"}`+"\n"+northCalls(3, 2))
	late := mustRun(t, "", "checkpoint", "--provider", "north", "--data", dir)
	held, err := evidence.Open([]byte(early), vkey)
	if err != nil || held.Size != 5 {
		t.Fatalf("the early checkpoint (%v):\n%s", err, early)
	}
	if c, err := evidence.Open([]byte(late), vkey); err != nil || c.Size != 7 {
		t.Fatalf("the late checkpoint (%v):\n%s", err, late)
	}
	event, leafHex := results[2].Events[0].ID, results[2].Events[0].LeafHash // leaf index 2

	// checkProof checks an answer as the auditor would: the note's signature, its size, and the
	// path from the event's leaf to its root.
	checkProof := func(t *testing.T, how, body string) {
		t.Helper()
		var p checkpoints.InclusionProof
		if err := json.Unmarshal([]byte(body), &p); err != nil {
			t.Fatalf("%s: %v\n%s", how, err, body)
		}
		c, err := evidence.Open([]byte(p.Checkpoint), vkey)
		if err != nil || c.Size != 5 || c.Root != held.Root {
			t.Fatalf("%s: the proof's checkpoint (%v):\n%s", how, err, p.Checkpoint)
		}
		if p.Provider != "north" || p.Event != event || p.LeafIndex != 2 || p.TreeSize != 5 || p.LeafHash != leafHex {
			t.Fatalf("%s: proof %+v", how, p)
		}
		var path []evidence.Hash
		for _, h := range p.Hashes {
			path = append(path, evidence.Hash(unhex(t, h)))
		}
		if err := evidence.CheckInclusion(path, p.TreeSize, c.Root, p.LeafIndex, evidence.Hash(unhex(t, p.LeafHash))); err != nil {
			t.Fatalf("%s: the path does not lead to the root of the checkpoint of size 5: %v", how, err)
		}
	}
	refusals := []struct {
		name, size string
		status     int
		code, says string
	}{
		{"not a whole number", "five", http.StatusBadRequest, "invalid", "size must be a whole number from 1"},
		{"zero", "0", http.StatusBadRequest, "invalid", "size must be a whole number from 1"},
		{"a tree the event is not in", "2", http.StatusBadRequest, "invalid", "size must be greater than the event's leaf index: event " + event + " is leaf 2 of north"},
		{"no signed checkpoint of that size", "6", http.StatusNotFound, "not_found", "size must be the size of one of the provider's signed checkpoints: provider north has none of size 6; GET /v1/checkpoints?provider=north gives the latest"},
	}
	refusedByCLI := func(t *testing.T, env map[string]string, args []string, code, says string) {
		t.Helper()
		exit, out, errOut := run(t.Context(), "", env, args...)
		if want := code + ": size: " + says; exit != 1 || !strings.Contains(errOut, want) {
			t.Fatalf("exit %d, %s%s; want 1 and %q", exit, out, errOut, want)
		}
	}

	// From the store, as an auditor with a copy of it runs prove.
	checkProof(t, "prove --data", mustRun(t, "", "prove", "--event", event, "--size", "5", "--data", dir, "--verifier-key", vkey))
	for _, tt := range refusals {
		t.Run("store/"+tt.name, func(t *testing.T) {
			refusedByCLI(t, nil, []string{"prove", "--event", event, "--size", tt.size, "--data", dir, "--verifier-key", vkey}, tt.code, tt.says)
		})
	}

	// Through the serving ledger: its API, and prove given --server or the data directory it holds.
	auditor := strings.TrimSpace(mustRun(t, "", "token", "create", "--staff", "aud1", "--role", "csqa_auditor", "--provider", "*", "--data", dir))
	southCM := strings.TrimSpace(mustRun(t, "", "token", "create", "--staff", "cs1", "--role", "case_manager", "--provider", "south", "--data", dir))
	url, _ := startServe(t, []string{"serve", "--data", dir, "--http", "127.0.0.1:0"})
	waitReady(t, url, "") // ready once the trees hold the store
	proofs := url + "/v1/proofs?event=" + event
	asAuditor := map[string]string{"WSLEDGER_SERVER": url, "WSLEDGER_TOKEN": auditor}
	status, body := request(t, "GET", proofs+"&size=5", auditor, "")
	if status != http.StatusOK {
		t.Fatalf("GET size=5: %d %s", status, body)
	}
	checkProof(t, "GET /v1/proofs", body)
	checkProof(t, "prove --server", mustRun(t, "", "prove", "--event", event, "--size", "5", "--server", url, "--token", auditor, "--verifier-key", vkey))
	checkProof(t, "prove --data (served)", mustRun(t, "", "prove", "--event", event, "--size", "5", "--data", dir, "--verifier-key", vkey))
	var latest checkpoints.InclusionProof
	if status, body = request(t, "GET", proofs, auditor, ""); status != http.StatusOK || json.Unmarshal([]byte(body), &latest) != nil || latest.TreeSize != 7 || latest.Checkpoint != late {
		t.Fatalf("GET without size, want the latest checkpoint of size 7: %d %s", status, body)
	}
	for _, tt := range refusals {
		t.Run("api/"+tt.name, func(t *testing.T) {
			status, body := request(t, "GET", proofs+"&size="+tt.size, auditor, "")
			var e struct {
				Error struct{ Code, Field, Message string } `json:"error"`
			}
			if err := json.Unmarshal([]byte(body), &e); err != nil || status != tt.status || e.Error.Code != tt.code || e.Error.Field != "size" || !strings.Contains(e.Error.Message, tt.says) {
				t.Fatalf("status %d %s; want %d, %s naming size: %q", status, body, tt.status, tt.code, tt.says)
			}
			refusedByCLI(t, asAuditor, []string{"prove", "--event", event, "--size", tt.size}, tt.code, tt.says)
		})
	}
	if status, body := request(t, "GET", url+"/v1/proofs?provider=north&from=1&to=5&size=5", auditor, ""); status != http.StatusBadRequest || !strings.Contains(body, `"field":"size"`) {
		t.Errorf("size with a consistency proof: %d %s; want 400 naming size", status, body)
	}
	for _, size := range []string{"5", "five"} {
		if status, body := request(t, "GET", proofs+"&size="+size, southCM, ""); status != http.StatusForbidden {
			t.Errorf("a token of south, size=%s: %d %s; want 403", size, status, body)
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

// TestProofRightAfterAppend: the serving ledger signs a provider's tree before it answers a
// proof of an event its latest checkpoint does not cover yet, or a checkpoint request, rather
// than answering "retry" until --checkpoint-interval has passed.
func TestProofRightAfterAppend(t *testing.T) {
	dir, _ := smallLedger(t, 1) // north's checkpoint of size 3
	vkey := strings.TrimSpace(mustRun(t, "", "verifier-key", "--data", dir))
	pm := strings.TrimSpace(mustRun(t, "", "token", "create", "--staff", "pm1", "--role", "program_manager", "--provider", "north", "--data", dir))
	url, _ := startServe(t, []string{"serve", "--data", dir, "--http", "127.0.0.1:0", "--checkpoint-interval", "1h", "--checkpoint-every", "1000000"})
	waitReady(t, url, "")
	appended := func(i int) string {
		t.Helper()
		call := fmt.Sprintf(`{"type":"ReceiveClientCall","provider":"north","idempotency_key":"now-%d","concern_id":"N-%d","client_number":"12345678","summary":"Benefit late.","occurred_at":"2026-01-08T09:00:00"}`, i, i)
		status, body := request(t, "POST", url+"/v1/commands", pm, call)
		var r api.Result
		if status != http.StatusCreated || json.Unmarshal([]byte(body), &r) != nil || len(r.Events) != 1 {
			t.Fatalf("append: %d %s", status, body)
		}
		return r.Events[0].ID
	}

	event := appended(1) // position 4
	status, body := request(t, "GET", url+"/v1/proofs?event="+event, pm, "")
	var p checkpoints.InclusionProof
	if status != http.StatusOK || json.Unmarshal([]byte(body), &p) != nil {
		t.Fatalf("GET /v1/proofs right after the append: %d %s; want the proof", status, body)
	}
	c, err := evidence.Open([]byte(p.Checkpoint), vkey)
	if err != nil || c.Size != 4 || p.TreeSize != 4 || p.LeafIndex != 3 {
		t.Fatalf("proof in tree %d (%v), checkpoint:\n%s", p.TreeSize, err, p.Checkpoint)
	}
	var path []evidence.Hash
	for _, h := range p.Hashes {
		path = append(path, evidence.Hash(unhex(t, h)))
	}
	if err := evidence.CheckInclusion(path, p.TreeSize, c.Root, p.LeafIndex, evidence.Hash(unhex(t, p.LeafHash))); err != nil {
		t.Fatalf("the path does not lead to the checkpoint's root: %v", err)
	}

	appended(2) // position 5
	note := mustRun(t, "", "checkpoint", "--provider", "north", "--server", url, "--token", pm)
	if c, err := evidence.Open([]byte(note), vkey); err != nil || c.Size != 5 {
		t.Fatalf("checkpoint --server right after the append (%v):\n%s; want size 5", err, note)
	}
}
