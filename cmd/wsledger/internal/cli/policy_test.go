package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestServePolicyFile: serve --policy reads the settings file, refusing a bad one with the key
// named, and records the settings in every provider's history where they are not in force; a
// restart with the same file records nothing more.
func TestServePolicyFile(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`{"wsta_notice_business_days": -2}`), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := run(t.Context(), "", nil, "serve", "--data", dir, "--policy", bad)
	if code != 2 || !strings.Contains(errOut, "wsta_notice_business_days") {
		t.Fatalf("a bad --policy: exit %d\n%s", code, errOut)
	}

	register := `{"type":"RegisterProvider","provider":"north","actor":{"staff_id":"ad1","role":"admin"},"name":"North","region":"r","occurred_at":"` + time.Now().Add(-time.Hour).Format(time.RFC3339) + `"}`
	if code, _, errOut := run(t.Context(), register, nil, "submit", "--data", dir); code != 0 {
		t.Fatalf("submit: %s", errOut)
	}
	code, token, errOut := run(t.Context(), "", nil, "token", "create", "--data", dir, "--staff", "aud1", "--role", "csqa_auditor", "--provider", "*")
	if code != 0 {
		t.Fatalf("token: %s", errOut)
	}
	file := filepath.Join(t.TempDir(), "policy.json")
	if err := os.WriteFile(file, []byte(`{"wsta_notice_business_days": 2, "closures": ["2026-12-24"]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	recorded := func(t *testing.T) int {
		ctx := t.Context()
		url, _ := startServe(t, []string{"serve", "--data", dir, "--http", "127.0.0.1:0", "--policy", file})
		waitReady(t, url, "")
		code, out, errOut := run(ctx, "", map[string]string{"WSLEDGER_SERVER": url, "WSLEDGER_TOKEN": strings.TrimSpace(token)},
			"audit", "--provider", "north", "--type", "PolicySettingsRecorded", "--format", "json")
		if code != 0 {
			t.Fatalf("audit: exit %d %s", code, errOut)
		}
		if !strings.Contains(out, `"wsta_notice_business_days": 2`) || !strings.Contains(out, `"2026-12-24"`) {
			t.Errorf("the recorded settings:\n%.1500s", out)
		}
		return strings.Count(out, `"type": "PolicySettingsRecorded"`)
	}
	// Each start in a subtest of its own: serve stops when the subtest ends.
	for _, start := range []string{"first start", "restart"} {
		t.Run(start, func(t *testing.T) {
			if n := recorded(t); n != 1 {
				t.Errorf("%d settings events after the %s, want 1", n, start)
			}
		})
	}
}
