package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/checkpoints"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/store"
	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/events/natslog/natstest"
)

// earlierLedger loads the demo into a data directory and takes away what this version adds
// beside the events (the signed checkpoints and the signing key), as a ledger written before
// them has none, and returns the directory and every event's hash by id.
func earlierLedger(t *testing.T) (string, map[string]string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data")
	mustRun(t, "", "demo", "--data", dir, "--demo-end", "2026-06-30")
	st, err := store.Open(t.Context(), store.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.JetStream().DeleteStream(t.Context(), checkpoints.Stream); err != nil {
		t.Fatal(err)
	}
	hashes := map[string]string{}
	for e, err := range st.Read(t.Context(), events.ReadOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		hashes[e.ID] = e.Hash
	}
	st.Close()
	for _, f := range []string{"signing.key", "verifier.key"} {
		if err := os.Remove(filepath.Join(dir+"-keys", f)); err != nil {
			t.Fatal(err)
		}
	}
	return dir, hashes
}

// TestMigrate migrates a copy of a demo ledger that has no checkpoints: every provider's
// history is verified, then its first checkpoint signed over all of it; every event keeps its
// hash; verify then says each history extends its checkpoint, and an event's inclusion proof
// checks with the verifier key the command printed. A copy with a damaged event is refused, and
// nothing is signed for it.
func TestMigrate(t *testing.T) {
	earlier, hashes := earlierLedger(t)
	subjectKey := earlier + "-keys/subject.key"
	dir := filepath.Join(t.TempDir(), "copy")
	natstest.CopyDir(t, earlier, dir)
	signingKey := filepath.Join(t.TempDir(), "keys", "signing.key")

	out := mustRun(t, "", "migrate", "--data", dir, "--subject-key", subjectKey, "--signing-key", signingKey)
	for _, p := range []string{"kenai", "northstar", "tongass"} {
		if !strings.Contains(out, "provider "+p+": ") {
			t.Fatalf("migrate says nothing of %s:\n%s", p, out)
		}
	}
	_, vkey, ok := strings.Cut(out, "verifier key (give it to auditors and witnesses): ")
	if !ok {
		t.Fatalf("migrate prints no verifier key:\n%s", out)
	}
	vkey = strings.TrimSpace(vkey)

	st, err := store.Open(t.Context(), store.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	n, firstID := 0, ""
	for e, err := range st.Read(t.Context(), events.ReadOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		if hashes[e.ID] != e.Hash {
			t.Fatalf("event %s has hash %s after the migration, %s before", e.ID, e.Hash, hashes[e.ID])
		}
		if n == 0 {
			firstID = e.ID
		}
		n++
	}
	st.Close()
	if n != len(hashes) {
		t.Fatalf("%d events after the migration, %d before", n, len(hashes))
	}
	out = mustRun(t, "", "verify", "--data", dir, "--verifier-key", vkey)
	if strings.Count(out, "extends the signed checkpoint of size") != 3 {
		t.Fatalf("verify after the migration:\n%s", out)
	}
	mustRun(t, "", "prove", "--event", firstID, "--data", dir, "--verifier-key", vkey)

	damaged := filepath.Join(t.TempDir(), "damaged")
	natstest.CopyDir(t, earlier, damaged)
	natstest.EditBlock(t, damaged, func(buf []byte, recs []natstest.Record) []byte {
		r := recs[len(recs)/2]
		i := strings.Index(string(buf[r.Data:r.End]), `"payload":{`)
		buf[r.Data+i+len(`"payload":{`)+1] ^= 0x20 // a letter of the first key's name, upper or lower
		return buf
	})
	code, _, errOut := run(t.Context(), "", nil, "migrate", "--data", damaged, "--subject-key", subjectKey, "--signing-key", filepath.Join(t.TempDir(), "signing.key"))
	if code != 1 || !strings.Contains(errOut, "is not intact, so no checkpoint is signed over it") {
		t.Fatalf("migrating a damaged ledger: exit %d, %s", code, errOut)
	}
}
