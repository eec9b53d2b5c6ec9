package cli_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestDeadlinesLateEntries: commands recorded now about things that happened weeks ago are late
// entries; "wsledger deadlines --late-entries" lists the met obligations whose record was one,
// with met_at, recorded_at, entered_late and entry_lag_business_days, and nothing else.
func TestDeadlinesLateEntries(t *testing.T) {
	dir := t.TempDir()
	ago := func(days int) string { return time.Now().AddDate(0, 0, -days).Format(time.RFC3339) }
	cm := `"actor":{"staff_id":"cm1","role":"case_manager"}`
	stdin := strings.Join([]string{
		`{"type":"RegisterProvider","provider":"north","actor":{"staff_id":"ad1","role":"admin"},"name":"North","region":"interior","occurred_at":"` + ago(60) + `"}`,
		`{"type":"ReceiveClientCall","provider":"north",` + cm + `,"concern_id":"K1","client_number":"55501234","summary":"s","occurred_at":"` + ago(30) + `"}`,
		`{"type":"ReturnClientCall","provider":"north",` + cm + `,"concern_id":"K1","occurred_at":"` + ago(29) + `"}`,
		`{"type":"ReceiveClientCall","provider":"north",` + cm + `,"concern_id":"K2","client_number":"55501234","summary":"s"}`,
		`{"type":"ReturnClientCall","provider":"north",` + cm + `,"concern_id":"K2"}`,
	}, "\n")
	if code, out, errOut := run(t.Context(), stdin, nil, "submit", "--data", dir); code != 0 {
		t.Fatalf("submit: exit %d %s %s", code, out, errOut)
	}
	code, out, errOut := run(t.Context(), "", nil, "deadlines", "--data", dir, "--provider", "north", "--late-entries", "--format", "json")
	if code != 0 {
		t.Fatalf("deadlines --late-entries: exit %d %s", code, errOut)
	}
	var d struct {
		Matched int              `json:"matched"`
		Items   []map[string]any `json:"items"`
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	if d.Matched != 1 || len(d.Items) != 1 || d.Items[0]["id"] != "call_return:K1" {
		t.Fatalf("late entries %+v, want call_return:K1 alone", d.Items)
	}
	it := d.Items[0]
	if it["entered_late"] != true || it["entry_lag_business_days"].(float64) < 15 || it["met_at"] == nil || it["recorded_at"] == nil {
		t.Errorf("the late entry shows %v", it)
	}
	code, out, _ = run(t.Context(), "", nil, "deadlines", "--data", dir, "--provider", "north", "--late-entries")
	if code != 0 || !strings.Contains(out, "call_return") || strings.Contains(out, "K2") || !strings.Contains(out, "late entry") {
		t.Errorf("table:\n%s", out)
	}
}
