package cli_test

import (
	"crypto/tls"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wsledger/wsledger/events"
)

// afterBackup is a command appended to kenai once the backup is taken.
const afterBackup = `{"type":"ReceiveClientCall","provider":"kenai","idempotency_key":"after-backup","actor":{"staff_id":"kenai-cm2","role":"case_manager"},"concern_id":"2026-12-Q9","client_number":"12345678","summary":"benefit late"}`

// TestBackupAndRestore fills an embedded store with the demo data, takes a digest and a backup,
// appends more and digests again, then restores the backup into a fresh store: it verifies,
// holds every provider's history as it was at the backup, its API tokens, extends the earlier
// digest and not the later one; and a restore over a store with events is refused.
func TestBackupAndRestore(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	src, dst, bk := filepath.Join(dir, "src"), filepath.Join(dir, "dst"), filepath.Join(dir, "backup")
	mustRun(t, "", "demo", "--data", src)
	before := filepath.Join(dir, "before.json")
	writeFile(t, before, mustRun(t, "", "digest", "--data", src, "--provider", "kenai"))
	atBackup := verifyJSON(t, src)
	out := mustRun(t, "", "backup", "--data", src, "--out", bk)
	if !strings.Contains(out, "stream LEDGER: ") || !strings.Contains(out, "stream KV_WSLEDGER_TOKENS: ") {
		t.Fatalf("backup output:\n%s", out)
	}
	mustRun(t, afterBackup, "submit", "--data", src)
	after := filepath.Join(dir, "after.json")
	writeFile(t, after, mustRun(t, "", "digest", "--data", src, "--provider", "kenai"))

	mustRun(t, "", "restore", "--data", dst, "--in", bk)
	sameHeads(t, "the restored store", verifyJSON(t, dst), atBackup)
	if out := mustRun(t, "", "token", "list", "--data", dst); strings.Count(out, "kenai") == 0 {
		t.Errorf("the restored store lists no kenai token:\n%s", out)
	}

	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string // a fragment; "" for success
		stdout string // a fragment
	}{
		{"extends the digest taken before the backup", []string{"verify", "--data", dst, "--digest", before}, 0, "", "the history extends the digest at position"},
		{"does not extend the digest taken after it", []string{"verify", "--data", dst, "--digest", after}, 1, "diverged at sequence", ""},
		{"refuses to restore over events", []string{"restore", "--data", dst, "--in", bk}, 1, "give --replace", ""},
		{"refuses to restore over newer events", []string{"restore", "--data", src, "--in", bk}, 1, "exists and holds", ""},
		{"refuses a directory that is no backup", []string{"restore", "--data", dst, "--in", dir}, 1, "holds no complete backup", ""},
		{"refuses to back up into a full directory", []string{"backup", "--data", dst, "--out", bk}, 1, "is not empty", ""},
		{"replaces on request", []string{"restore", "--data", dst, "--in", bk, "--replace"}, 0, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(ctx, "", nil, tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.stderr) || !strings.Contains(out, tt.stdout) {
				t.Fatalf("exit %d, want %d; stderr %q lacks %q or stdout %q lacks %q", code, tt.code, errOut, tt.stderr, out, tt.stdout)
			}
			if strings.Contains(errOut, "event :") || strings.Contains(errOut, "event ,") {
				t.Errorf("stderr names an empty event id: %q", errOut)
			}
		})
	}
	if again := verifyJSON(t, dst); len(again) != len(atBackup) || again[0].Head != atBackup[0].Head {
		t.Fatalf("after --replace: %+v", again)
	}
	// The restored ledger keeps its subject key's fingerprint: it refuses a new key and takes
	// the one it had.
	if code, _, errOut := run(ctx, afterBackup, nil, "submit", "--data", dst); code != 1 || !strings.Contains(errOut, "derived with another key") {
		t.Fatalf("the restored ledger with a new subject key: exit %d: %s", code, errOut)
	}
	mustRun(t, afterBackup, "submit", "--data", dst, "--subject-key", src+"-keys/subject.key")
}

// TestRestoreRefusesADamagedBackup flips a byte of a snapshot file: the restore names the file
// and leaves the store without a ledger.
func TestRestoreRefusesADamagedBackup(t *testing.T) {
	dir := t.TempDir()
	src, dst, bk := filepath.Join(dir, "src"), filepath.Join(dir, "dst"), filepath.Join(dir, "backup")
	mustRun(t, "", "demo", "--data", src)
	mustRun(t, "", "backup", "--data", src, "--out", bk)
	file := filepath.Join(bk, "LEDGER.snapshot")
	data := mustRead(t, file)
	data[len(data)/2] ^= 0xff
	writeFile(t, file, string(data))
	code, _, errOut := run(t.Context(), "", nil, "restore", "--data", dst, "--in", bk)
	if code != 1 || !strings.Contains(errOut, "LEDGER.snapshot does not match the manifest") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if out := mustRun(t, "", "verify", "--data", dst); !strings.Contains(out, "no events") {
		t.Fatalf("the refused restore left events: %s", out)
	}
}

// TestBackupAndRestoreOnACluster restores a backup of the embedded store into a three-node
// cluster (three replicas), backs the cluster up, and restores that into a new embedded store:
// every provider's head survives both trips, and the cluster refuses a second restore.
func TestBackupAndRestoreOnACluster(t *testing.T) {
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "src"), filepath.Join(dir, "dst")
	fromEmbedded, fromCluster := filepath.Join(dir, "embedded-backup"), filepath.Join(dir, "cluster-backup")
	mustRun(t, "", "demo", "--data", src)
	want := verifyJSON(t, src)
	mustRun(t, "", "backup", "--data", src, "--out", fromEmbedded)
	addrs := startTLSCluster(t, []*tls.Config{nil, nil, nil})
	cluster := []string{"--nats", "nats://" + strings.Join(addrs, ",nats://")}

	mustRun(t, "", append([]string{"restore", "--in", fromEmbedded}, cluster...)...)
	sameHeads(t, "the cluster", verifyJSON(t, cluster...), want)
	mustRun(t, "", append([]string{"backup", "--out", fromCluster}, cluster...)...)
	mustRun(t, "", "restore", "--data", dst, "--in", fromCluster)
	sameHeads(t, "the embedded store restored from the cluster", verifyJSON(t, dst), want)

	code, _, errOut := run(t.Context(), "", nil, append([]string{"restore", "--in", fromCluster}, cluster...)...)
	if code != 1 || !strings.Contains(errOut, "give --replace") {
		t.Fatalf("a second restore into the cluster: exit %d: %s", code, errOut)
	}
}

// sameHeads fails the test unless every provider has the events and head of want.
func sameHeads(t *testing.T, where string, got, want []events.Report) {
	t.Helper()
	if len(got) != len(want) || len(got) == 0 {
		t.Fatalf("%s: %d providers, want %d", where, len(got), len(want))
	}
	for i := range got {
		if got[i].Head != want[i].Head || got[i].Events != want[i].Events {
			t.Errorf("%s: provider %s has %d events, head %+v; want %d, head %+v",
				where, got[i].Provider, got[i].Events, got[i].Head, want[i].Events, want[i].Head)
		}
	}
}

// mustRun runs a command that must succeed and returns its standard output.
func mustRun(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	code, out, errOut := run(t.Context(), stdin, nil, args...)
	if code != 0 {
		t.Fatalf("wsledger %s: exit %d: %s", strings.Join(args, " "), code, errOut)
	}
	return out
}

// verifyJSON verifies every provider of the store the flags name (--data DIR when they are one
// directory) and returns the reports.
func verifyJSON(t *testing.T, where ...string) []events.Report {
	t.Helper()
	if len(where) == 1 {
		where = []string{"--data", where[0]}
	}
	var reports []events.Report
	if err := json.Unmarshal([]byte(mustRun(t, "", append([]string{"verify", "--format", "json"}, where...)...)), &reports); err != nil {
		t.Fatal(err)
	}
	return reports
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
}
