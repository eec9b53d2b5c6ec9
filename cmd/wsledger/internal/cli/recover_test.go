package cli_test

import (
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// TestRecover restores a backup taken before the last nine events of a provider, whose signed
// checkpoint covered them, into the ledger's own data directory. Before the recovery, verify
// names the loss, serve is not ready and refuses appends, and a local submit refuses before it
// appends. wsledger recover refuses without a person or a reason, records HistoryRecovered with
// the checkpoint it no longer extends and signs a new checkpoint; a second run refuses. After it
// verify passes and names the recovery, serve is ready, and the nine events, re-submitted with
// their idempotency keys, are stored again (not answered as duplicates).
func TestRecover(t *testing.T) {
	dir, results := smallLedger(t, 3)
	backup := filepath.Join(t.TempDir(), "backup")
	mustRun(t, "", "backup", "--data", dir, "--out", backup)
	var later strings.Builder
	for i := range 9 {
		fmt.Fprintf(&later, `{"type":"ReceiveClientCall","provider":"north","idempotency_key":"later-%d","actor":{"staff_id":"cm1","role":"case_manager"},"concern_id":"L-%d","client_number":"12345678","summary":"Benefit late.","occurred_at":"2026-01-07T09:%02d:00"}`+"\n", i, i, i)
	}
	mustRun(t, later.String(), "submit", "--data", dir)
	signedNote := mustRun(t, "", "checkpoint", "--provider", "north", "--data", dir)
	before := len(results)
	if !strings.Contains(signedNote, fmt.Sprintf("\n%d\n", before+9)) {
		t.Fatalf("the checkpoint does not cover the %d events:\n%s", before+9, signedNote)
	}
	mustRun(t, "", "restore", "--data", dir, "--in", backup, "--replace")

	code, _, errOut := run(t.Context(), "", nil, "verify", "--data", dir)
	if code != 1 || !strings.Contains(errOut, "removed") {
		t.Fatalf("verify after the restore: exit %d:\n%s\nwant 1, naming removed events", code, errOut)
	}
	code, out, errOut := run(t.Context(), later.String(), nil, "submit", "--data", dir)
	if code == 0 || !strings.Contains(errOut, "its last signed checkpoint covers") {
		t.Fatalf("a local submit to the restored store: exit %d\n%s%s", code, out, errOut)
	}
	keys := dir + "-keys"
	serveArgs := []string{"serve", "--data", dir, "--http", "127.0.0.1:0", "--subject-key", keys + "/subject.key"}
	admin := strings.TrimSpace(mustRun(t, "", "token", "create", "--staff", "ad1", "--role", "admin", "--provider", "*", "--data", dir))
	caseManager := strings.TrimSpace(mustRun(t, "", "token", "create", "--staff", "cm1", "--role", "case_manager", "--provider", "north", "--data", dir))
	func() {
		url, stop := startServeStoppable(t, serveArgs)
		defer stop()
		if status := waitReadyz(t, url); status != http.StatusServiceUnavailable {
			t.Fatalf("/readyz answered %d before the recovery, want 503", status)
		}
		env := map[string]string{"WSLEDGER_SERVER": url, "WSLEDGER_TOKEN": caseManager}
		if code, out, _ := run(t.Context(), later.String(), env, "submit"); code == 0 || strings.Contains(out, `"ok":true`) {
			t.Fatalf("serve accepted an append before the recovery: %s", out)
		}
	}()

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--provider", "north", "--reason", "disk failure"}, "--staff is required"},
		{[]string{"--provider", "north", "--staff", "ad1"}, "--reason is required"},
		{[]string{"--provider", "south", "--staff", "ad1", "--reason", "disk failure"}, "no signed checkpoint"},
	} {
		code, _, errOut := run(t.Context(), "", nil, append([]string{"recover", "--data", dir}, tt.args...)...)
		if code == 0 || !strings.Contains(errOut, tt.want) {
			t.Fatalf("recover %v: exit %d:\n%s\nwant an error saying %q", tt.args, code, errOut, tt.want)
		}
	}
	out = mustRun(t, "", "recover", "--data", dir, "--provider", "north", "--staff", "ad1", "--reason", "disk failure; restored the backup of this morning")
	wantRecorded := fmt.Sprintf("recorded HistoryRecovered at position %d", before+1)
	wantLost := fmt.Sprintf("its history held %d events; the checkpoint of size %d", before, before+9)
	wantSigned := fmt.Sprintf("signed checkpoint of size %d", before+1)
	for _, want := range []string{wantRecorded, wantLost, "covered 9 more, which are lost", wantSigned} {
		if !strings.Contains(out, want) {
			t.Fatalf("recover printed:\n%s\nwant %q", out, want)
		}
	}
	code, _, errOut = run(t.Context(), "", nil, "recover", "--data", dir, "--provider", "north", "--staff", "ad1", "--reason", "again")
	if code == 0 || !strings.Contains(errOut, fmt.Sprintf("extends its last signed checkpoint (size %d): nothing was lost", before+1)) {
		t.Fatalf("a second recover: exit %d:\n%s", code, errOut)
	}
	out = mustRun(t, "", "verify", "--data", dir)
	if !strings.Contains(out, "provider north: intact") || !strings.Contains(out, fmt.Sprintf("recovered at position %d from behind the signed checkpoint of size %d", before+1, before+9)) {
		t.Fatalf("verify after the recovery:\n%s", out)
	}

	url, stop := startServeStoppable(t, serveArgs)
	defer stop()
	waitReady(t, url, "")
	if page := dashboardPage(t, url, admin, "/providers/north/verify"); !strings.Contains(page, "✓ Intact:") || !strings.Contains(page, "data-recovery") {
		t.Fatalf("the dashboard's verification page after the recovery:\n%.2000s", section(page, "<main", "</main>"))
	}
	env := map[string]string{"WSLEDGER_SERVER": url, "WSLEDGER_TOKEN": admin}
	out = mustRun(t, later.String(), "submit", "--server", url, "--token", caseManager)
	if n := strings.Count(out, `"ok":true`); n != 9 || strings.Contains(out, `"duplicate":true`) {
		t.Fatalf("the nine events re-submitted after the recovery:\n%s", out)
	}
	code, out, errOut = run(t.Context(), "", env, "verify")
	if code != 0 || !strings.Contains(out, "provider north: intact") {
		t.Fatalf("verify through serve after the re-submission: exit %d\n%s%s", code, out, errOut)
	}
	stop()
	out = mustRun(t, "", "verify", "--data", dir)
	if !strings.Contains(out, fmt.Sprintf("provider north: intact, %d events", before+10)) {
		t.Fatalf("verify after serve stopped:\n%s", out)
	}
}
