package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wsledger/wsledger/domain"
)

// TestAuditKindToAndDigestNames: audit takes --kind as another name for --type and --to for
// --as-of, a date in --from includes that day, and verify reads a digest that gives its sequence
// and hash as last_sequence and head_hash.
func TestAuditKindToAndDigestNames(t *testing.T) {
	dir := t.TempDir()
	register := `{"type":"RegisterProvider","provider":"north","actor":{"staff_id":"ad1","role":"admin"},"name":"North","region":"interior"}`
	if code, out, errOut := run(t.Context(), register, nil, "submit", "--data", dir); code != 0 {
		t.Fatalf("submit: exit %d: %s %s", code, out, errOut)
	}
	audit := func(args ...string) []map[string]any {
		t.Helper()
		args = append([]string{"audit", "--data", dir, "--provider", "north", "--format", "json"}, args...)
		code, out, errOut := run(t.Context(), "", nil, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		var trail struct{ Entries []map[string]any }
		if err := json.Unmarshal([]byte(out), &trail); err != nil {
			t.Fatalf("%v: %v: %s", args, err, out)
		}
		return trail.Entries
	}
	all := audit()
	if len(all) != 1 {
		t.Fatalf("entries: %v", all)
	}
	recorded, err := time.Parse(time.RFC3339Nano, all[0]["recorded_at"].(string))
	if err != nil {
		t.Fatal(err)
	}
	day := domain.DateOf(recorded)
	tests := []struct {
		args []string
		want int
	}{
		{[]string{"--kind", "ProviderRegistered"}, 1},
		{[]string{"--kind", "ConcernResolved"}, 0},
		{[]string{"--type", "ProviderRegistered", "--from", day.String(), "--to", day.String()}, 1},
		{[]string{"--from", day.AddDays(1).String()}, 0},
		{[]string{"--to", day.AddDays(-1).String()}, 0},
	}
	for _, tt := range tests {
		if got := audit(tt.args...); len(got) != tt.want {
			t.Errorf("audit %v: %d entries, want %d", tt.args, len(got), tt.want)
		}
	}

	code, out, errOut := run(t.Context(), "", nil, "digest", "--data", dir, "--provider", "north")
	var d map[string]any
	if err := json.Unmarshal([]byte(out), &d); code != 0 || err != nil {
		t.Fatalf("digest: exit %d, %v: %s %s", code, err, out, errOut)
	}
	if d["last_sequence"] != d["sequence"] || d["head_hash"] != d["hash"] {
		t.Fatalf("digest %v: last_sequence and head_hash must repeat sequence and hash", d)
	}
	prose, _ := json.Marshal(map[string]any{"provider": d["provider"], "position": d["position"], "last_sequence": d["sequence"], "head_hash": d["hash"]})
	file := filepath.Join(t.TempDir(), "digest.json")
	if err := os.WriteFile(file, prose, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := run(t.Context(), "", nil, "verify", "--data", dir, "--digest", file); code != 0 {
		t.Fatalf("verify --digest with last_sequence and head_hash: exit %d: %s %s", code, out, errOut)
	}
	d["head_hash"] = strings.Repeat("ab", 32)
	contradicting, _ := json.Marshal(d)
	if err := os.WriteFile(file, contradicting, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := run(t.Context(), "", nil, "verify", "--data", dir, "--digest", file); code != 2 || !strings.Contains(errOut, "hash (") {
		t.Fatalf("verify --digest whose hash and head_hash differ: exit %d: %s", code, errOut)
	}
}
