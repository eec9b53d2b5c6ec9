package cli_test

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/checkpoints"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/natsauth"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/witness"
	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/events/evidence"
	"github.com/wsledger/wsledger/projections/wsta"
)

// TestWitnessCosigns runs a witness beside a ledger: it checks and cosigns each checkpoint and
// the ledger stores its cosignature; restarted, it goes on where it was; stopped while the ledger
// signed several checkpoints, it checks each and cosigns only the newest.
func TestWitnessCosigns(t *testing.T) {
	l := newWitnessedLedger(t)
	ids, leaves := l.submit(t, append([]string{registerNorth}, northCommands(1, 2)...)...)
	w := l.startWitness(t)
	l.waitCosigned(t, 3)
	// serve's metrics say how old the latest checkpoint and its newest cosignature are.
	res, err := http.Get(l.http + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(res.Body)
	res.Body.Close()
	for _, want := range []string{`wsledger_checkpoint_size{provider="north"} 3`, `wsledger_checkpoint_age_seconds{provider="north"}`, `wsledger_witness_cosignature_age_seconds{provider="north"}`} {
		if !strings.Contains(string(metrics), want) {
			t.Errorf("serve's metrics have no %s", want)
		}
	}

	kept, err := witness.Leaves(l.wdir, "north")
	if err != nil || !slices.Equal(evidence.Hexes(kept), leaves) {
		t.Fatalf("the witness kept %v (%v), the ledger's leaves are %v", evidence.Hexes(kept), err, leaves)
	}
	note, ok, err := witness.Cosigned(l.wdir, "north")
	if c := cosignedBy(t, l, note); !ok || err != nil || c.Size != 3 {
		t.Fatalf("the witness's last cosigned checkpoint: %v, %v, %s", ok, err, note)
	}

	t.Run("the witness's user may do nothing else", func(t *testing.T) {
		violations, collect := collectErrors()
		nc, err := nats.Connect(l.nats, nats.UserInfo("w1-user", "w1-secret"), nats.Timeout(30*time.Second), collect)
		if err != nil {
			t.Fatal(err)
		}
		defer nc.Close()
		for _, subject := range []string{"wsta.north.checkpoint", "witness.w2.north", "ledger.north.provider.x", "$JS.API.CONSUMER.DELETE.WSTA.witness-w1"} {
			_ = nc.Publish(subject, []byte("{}"))
			_ = nc.Flush()
			wantViolation(t, violations, subject)
		}
	})

	if code := w.stop(); code != 0 {
		t.Fatalf("the witness exited %d:\n%s", code, w.stderr)
	}
	w = l.startWitness(t)
	_, more := l.submit(t, northCommands(3, 2)...)
	l.waitCosigned(t, 5)
	// The witness still holding its cosigned checkpoint of size 3 gets an event's proof in
	// that tree, with the note as the ledger stored it cosigned.
	var p checkpoints.InclusionProof
	if err := json.Unmarshal([]byte(mustRun(t, "", "prove", "--event", ids[1], "--size", "3", "--data", l.dir, "--verifier-key", l.vkey)), &p); err != nil {
		t.Fatal(err)
	}
	if c := cosignedBy(t, l, []byte(p.Checkpoint)); c.Size != 3 || p.TreeSize != 3 || p.LeafIndex != 1 {
		t.Fatalf("the proof at size 3: %+v", p)
	}
	if n := w.count("checked a checkpoint", "size=3"); n != 0 {
		t.Errorf("restarted, the witness checked the checkpoint of size 3 again (%d times):\n%s", n, w.stderr)
	}
	if kept, _ := witness.Leaves(l.wdir, "north"); !slices.Equal(evidence.Hexes(kept), append(leaves, more...)) {
		t.Errorf("after the restart the witness kept %v", evidence.Hexes(kept))
	}

	// Offline while the ledger signs three checkpoints.
	if code := w.stop(); code != 0 {
		t.Fatalf("the witness exited %d:\n%s", code, w.stderr)
	}
	for i, size := range []int64{6, 7, 8} {
		l.submit(t, northCommands(5+i, 1)...)
		l.waitSigned(t, size)
	}
	w = l.startWitness(t)
	l.waitCosigned(t, 8)
	// The ledger stores a cosignature before it answers the witness, which logs it then.
	eventually(t, "the witness to hear the ledger took it", func() bool { return w.count("cosigned a checkpoint", "size=8") == 1 })
	for _, size := range []string{"size=6", "size=7", "size=8"} {
		if n := w.count("checked a checkpoint", "provider=north", size); n != 1 {
			t.Errorf("the witness checked the checkpoint of %s %d times, want once:\n%s", size, n, w.stderr)
		}
	}
	if n, last := w.count("cosigned a checkpoint", "provider=north"), w.count("cosigned a checkpoint", "size=8"); n != 1 || last != 1 {
		t.Errorf("catching up, the witness cosigned %d checkpoints (%d of size 8), want only the newest:\n%s", n, last, w.stderr)
	}

	// The feed's stream created anew (as when it moves to another account): the ledger's next
	// checkpoint carries every leaf again, and a witness starting afresh checks the whole history.
	w.stop()
	l.stopServe()
	op := openAsOperator(t, l.dir)
	op.remove(t, natsauth.FeedStream)
	op.close()
	l.serve(t)
	l.wdir = filepath.Join(t.TempDir(), "afresh")
	l.submit(t, northCommands(8, 1)...)
	w = l.startWitness(t)
	l.waitCosigned(t, 9)
	if kept, _ := witness.Leaves(l.wdir, "north"); len(kept) != 9 || !slices.Equal(evidence.Hexes(kept[:5]), append(leaves, more...)) {
		t.Errorf("a witness starting afresh kept %v", evidence.Hexes(kept))
	}
}

// TestWitnessRefusesAForgedHistory is the operator who can change the store's files: without
// the signing key, a checkpoint they sign with a key of their own fails its signature; with it,
// a history rewritten with one event backdated (every hash, position, tree and tip recomputed,
// the signed checkpoints and the WSTA stream deleted) is signed by the ledger, and the witness
// refuses it, naming the event, keeps the evidence and exits non-zero, until a person clears it.
func TestWitnessRefusesAForgedHistory(t *testing.T) {
	l := newWitnessedLedger(t)
	call := `{"type":"ReceiveClientCall","provider":"north","actor":{"staff_id":"north-cm1","role":"case_manager"},"concern_id":"Q-1","client_number":"12345678","summary":"Benefit late."}`
	ids, leaves := l.submit(t, append([]string{registerNorth, call}, northCommands(1, 1)...)...)
	w := l.startWitness(t)
	l.waitCosigned(t, 3)
	w.stop()
	l.stopServe()

	// Without the key: a fourth leaf and a checkpoint signed with a key named like the ledger's.
	forged := publishForgedCheckpoint(t, l.dir, leaves)
	l.serve(t)
	w = l.startWitness(t)
	if code := w.wait(t); code != 1 {
		t.Fatalf("the witness exited %d on a checkpoint signed with another key:\n%s", code, w.stderr)
	}
	evidenceDir := alarmOf(t, w, "signature")
	for _, want := range []string{"does not verify with the ledger's key", "wsledger witness --clear north --dir " + l.wdir} {
		if !strings.Contains(w.stderr.String(), want) {
			t.Errorf("the alarm does not say %q:\n%s", want, w.stderr)
		}
	}
	if got := string(mustRead(t, filepath.Join(evidenceDir, "refused.checkpoint"))); got != forged {
		t.Errorf("the evidence keeps %q, the forged checkpoint is %q", got, forged)
	}
	note, _, _ := witness.Cosigned(l.wdir, "north")
	if c := cosignedBy(t, l, note); c.Size != 3 {
		t.Errorf("the witness's last cosigned checkpoint is of size %d, want 3", c.Size)
	}
	w = l.startWitness(t)
	if code := w.wait(t); code != 1 || !strings.Contains(w.stderr.String(), "ALARM") {
		t.Fatalf("started again before the alarm was cleared, the witness exited %d:\n%s", code, w.stderr)
	}
	code, out, errOut := run(t.Context(), "", nil, "witness", "--clear", "north", "--dir", l.wdir)
	if code != 0 || !strings.Contains(out, "cleared the alarm of north") || !strings.Contains(out, "history it kept (size 3)") {
		t.Fatalf("--clear: exit %d, %s%s", code, out, errOut)
	}

	// With the key: the call backdated three days, the history rebuilt around it.
	l.stopServe()
	newLeaves := rewrite(t, l.dir, func(envs []events.Envelope) []events.Envelope {
		for i := range envs {
			if envs[i].ID == ids[1] {
				envs[i].OccurredAt = envs[i].OccurredAt.Add(-72 * time.Hour)
			}
		}
		return envs
	})
	l.serve(t)
	l.waitSigned(t, 3)
	w = l.startWitness(t)
	if code := w.wait(t); code != 1 {
		t.Fatalf("the witness exited %d on the rewritten history:\n%s", code, w.stderr)
	}
	evidenceDir = alarmOf(t, w, "inconsistent")
	named := "the event at position 2 differs: the witness kept leaf " + leaves[1] + " of event " + ids[1] + "; the ledger now publishes leaf " + newLeaves[1] + " of event " + ids[1]
	if !strings.Contains(w.stderr.String(), named) {
		t.Errorf("the alarm does not name the backdated event (%q):\n%s", named, w.stderr)
	}
	var diff struct {
		Position int64  `json:"position"`
		Kept     string `json:"kept_leaf_hash"`
		New      string `json:"new_leaf_hash"`
		Event    string `json:"new_event"`
	}
	if err := json.Unmarshal(mustRead(t, filepath.Join(evidenceDir, "difference.json")), &diff); err != nil || diff.Position != 2 || diff.Kept != leaves[1] || diff.New != newLeaves[1] || diff.Event != ids[1] {
		t.Errorf("difference.json: %+v, %v", diff, err)
	}
	for _, f := range []string{"refused.checkpoint", "checked.checkpoint", "cosigned.checkpoint", "notice.json", "report.txt", "published/leaves", "published/events"} {
		if _, err := os.Stat(filepath.Join(evidenceDir, f)); err != nil {
			t.Errorf("the evidence lacks %s: %v", f, err)
		}
	}
	if kept, _ := witness.Leaves(l.wdir, "north"); !slices.Equal(evidence.Hexes(kept), leaves) {
		t.Errorf("under the alarm the witness's leaves are %v, want those it checked before %v", evidence.Hexes(kept), leaves)
	}

	// An auditor holding the witness's copy finds the forgery on the store itself: the checkpoint
	// the witness cosigned names the interval, and its leaves the event.
	l.stopServe()
	cosigned, _, _ := witness.Cosigned(l.wdir, "north")
	keptFile := filepath.Join(t.TempDir(), "cosigned.checkpoint")
	writeFile(t, keptFile, string(cosigned))
	for _, tt := range []struct {
		args []string
		want string
	}{
		{nil, "an event from position 1 to 3 was changed"},
		{[]string{"--witness", l.wdir}, "position 2: the leaf hash kept"},
	} {
		args := append([]string{"verify", "--data", l.dir, "--verifier-key", l.vkey, "--checkpoint", keptFile}, tt.args...)
		code, _, errOut := run(t.Context(), "", nil, args...)
		if code != 1 || !strings.Contains(errOut, tt.want) || (tt.args != nil && !strings.Contains(errOut, ids[1])) {
			t.Errorf("verify %v with the witness's copy: exit %d, %s; want 1 naming %q", tt.args, code, errOut, tt.want)
		}
	}
	l.serve(t)

	// Cleared, it cosigns the ledger's history as it now is, and what extends it.
	code, out, errOut = run(t.Context(), "", nil, "witness", "--clear", "north", "--dir", l.wdir)
	if code != 0 || !strings.Contains(out, "as of its checkpoint of size 3") {
		t.Fatalf("--clear: exit %d, %s%s", code, out, errOut)
	}
	w = l.startWitness(t)
	l.waitCosigned(t, 3)
	_, fourth := l.submit(t, northCommands(2, 1)...)
	l.waitCosigned(t, 4)
	if kept, _ := witness.Leaves(l.wdir, "north"); !slices.Equal(evidence.Hexes(kept), append(newLeaves, fourth...)) {
		t.Errorf("after --clear the witness kept %v", evidence.Hexes(kept))
	}
}

// TestWitnessRefusesARollback: the ledger's store restored without its last two events and its
// checkpoints, the ledger signs a smaller tree. The witness run as a service refuses it, says so
// through its metrics and keeps running, checking what follows without cosigning it.
func TestWitnessRefusesARollback(t *testing.T) {
	l := newWitnessedLedger(t)
	l.submit(t, append([]string{registerNorth}, northCommands(1, 4)...)...)
	w := l.startWitness(t, "--serve", "127.0.0.1:0")
	l.waitCosigned(t, 5)
	metrics := metricsURL(t, w)
	// The ledger stores a cosignature before it answers the witness, which reports it then.
	eventually(t, "the cosigned size metric", func() bool {
		return metric(t, metrics, `wsledger_witness_cosigned_size{provider="north"}`) == 5
	})
	w.stop()
	l.stopServe()

	rewrite(t, l.dir, func(envs []events.Envelope) []events.Envelope { return envs[:3] })
	l.serve(t)
	w = l.startWitness(t, "--serve", "127.0.0.1:0")
	metrics = metricsURL(t, w)
	alarm := `wsledger_witness_alarm{provider="north"}`
	eventually(t, "the alarm metric", func() bool { return metric(t, metrics, alarm) == 1 })
	evidenceDir := alarmOf(t, w, "rollback")
	for _, want := range []string{"checkpoint of size 3 is smaller than the checkpoint of size 5", "events at positions 4 to 5 are gone"} {
		if !strings.Contains(w.stderr.String(), want) {
			t.Errorf("the alarm does not say %q:\n%s", want, w.stderr)
		}
	}
	if c, err := evidence.Open(mustRead(t, filepath.Join(evidenceDir, "refused.checkpoint")), l.vkey); err != nil || c.Size != 3 {
		t.Errorf("the refused checkpoint kept: %v, %v", c, err)
	}

	l.submit(t, northCommands(10, 1)...)
	eventually(t, "the witness to check size 4", func() bool {
		return metric(t, metrics, `wsledger_witness_checked_size{provider="north"}`) == 4
	})
	if code := w.stop(); code != 0 {
		t.Fatalf("the witness as a service exited %d:\n%s", code, w.stderr)
	}
	if c := l.latest(t); c.Size != 4 || len(c.Cosignatures) != 0 {
		t.Errorf("under the alarm the ledger's checkpoint of size %d carries cosignatures %v", c.Size, c.Cosignatures)
	}
	if note, _, _ := witness.Cosigned(l.wdir, "north"); cosignedBy(t, l, note).Size != 5 {
		t.Errorf("under the alarm the witness cosigned %s", note)
	}
}

// publishForgedCheckpoint is the operator without the signing key: on the stopped ledger's
// files, it publishes on the WSTA feed a fourth leaf and a checkpoint over it signed with a key
// of its own named like the ledger's, and returns the checkpoint.
func publishForgedCheckpoint(t *testing.T, dir string, leaves []string) string {
	t.Helper()
	op := openAsOperator(t, dir)
	defer op.close()
	var tree evidence.Tree
	for _, s := range leaves {
		h, err := evidence.ParseHash(s)
		if err != nil {
			t.Fatal(err)
		}
		tree.Append(h)
	}
	extra := evidence.LeafHash([]byte(`{"forged":true}`))
	tree.Append(extra)
	root, _ := tree.Root(4)
	proof, _ := tree.ConsistencyProof(3, 4)
	skey, _, err := evidence.GenerateKey("wsledger")
	if err != nil {
		t.Fatal(err)
	}
	note, err := evidence.Sign(evidence.Checkpoint{Origin: "wsledger/north", Size: 4, Root: root}, skey)
	if err != nil {
		t.Fatal(err)
	}
	js, _ := op.stream(t, natsauth.FeedStream)
	ln := wsta.LeavesNotice{Kind: wsta.KindLeaves, Provider: "north", From: 4, Leaves: []wsta.Leaf{{Event: uuid.NewString(), LeafHash: evidence.Hex(extra)}}}
	cn := wsta.CheckpointNotice{Kind: wsta.KindCheckpoint, Provider: "north", Size: 4, Checkpoint: string(note), PreviousSize: 3, Consistency: evidence.Hexes(proof)}
	for _, m := range []struct {
		subject string
		v       any
	}{{"wsta.north.leaves", ln}, {"wsta.north.checkpoint", cn}} {
		body, _ := json.Marshal(m.v)
		if _, err := js.Publish(t.Context(), m.subject, body); err != nil {
			t.Fatal(err)
		}
	}
	return string(note)
}

var evidenceIn = regexp.MustCompile(`The evidence is in (\S+)\. `)

// alarmOf returns the evidence directory the witness's alarm names, checking its reason.
func alarmOf(t *testing.T, w *witnessRun, reason string) string {
	t.Helper()
	var m []string
	eventually(t, "the witness's alarm", func() bool {
		m = evidenceIn.FindStringSubmatch(w.stderr.String())
		return m != nil
	})
	if !strings.Contains(w.stderr.String(), "refused a checkpoint of north ("+reason+")") {
		t.Errorf("the alarm's reason is not %s:\n%s", reason, w.stderr)
	}
	report := string(mustRead(t, filepath.Join(m[1], "report.txt")))
	if !strings.Contains(report, "("+reason+")") {
		t.Errorf("report.txt: %s", report)
	}
	return m[1]
}

var metricsAt = regexp.MustCompile(`metrics at (http://\S+)`)

func metricsURL(t *testing.T, w *witnessRun) string {
	t.Helper()
	eventually(t, "the witness's metrics address", func() bool { return metricsAt.MatchString(w.stderr.String()) })
	return metricsAt.FindStringSubmatch(w.stderr.String())[1]
}

// cosignedBy opens a checkpoint note that w1 cosigned and checks its cosignature.
func cosignedBy(t *testing.T, l *witnessedLedger, note []byte) *evidence.Signed {
	t.Helper()
	c, err := evidence.Open(note, l.vkey, strings.TrimSpace(string(mustRead(t, l.wvkeyFile))))
	if err != nil {
		t.Fatalf("%v: %s", err, note)
	}
	if _, ok := c.Cosignatures["w1"]; !ok {
		t.Fatalf("no cosignature of w1 that verifies: %s", note)
	}
	return c
}
