package cli_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestDeadlinesAfter: "wsledger deadlines --limit N --after ID" goes on from the obligation a
// shorter listing stopped at (its "next"), so that walking one at a time lists every obligation
// once, in the order of the whole listing; a table that leaves some out says how to go on.
func TestDeadlinesAfter(t *testing.T) {
	dir := t.TempDir()
	cm := `"actor":{"staff_id":"cm1","role":"case_manager"}`
	lines := []string{`{"type":"RegisterProvider","provider":"north","actor":{"staff_id":"ad1","role":"admin"},"name":"North","region":"interior","occurred_at":"` +
		time.Now().AddDate(0, 0, -30).Format(time.RFC3339) + `"}`}
	for i := range 3 {
		lines = append(lines, fmt.Sprintf(`{"type":"ReceiveClientCall","provider":"north",%s,"concern_id":"A%d","client_number":"55501234","summary":"s"}`, cm, i))
	}
	if code, out, errOut := run(t.Context(), strings.Join(lines, "\n"), nil, "submit", "--data", dir); code != 0 {
		t.Fatalf("submit: exit %d %s %s", code, out, errOut)
	}
	type page struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
		Next string `json:"next"`
	}
	list := func(args ...string) page {
		t.Helper()
		code, out, errOut := run(t.Context(), "", nil, append([]string{"deadlines", "--data", dir, "--provider", "north", "--format", "json"}, args...)...)
		var p page
		if code != 0 || json.Unmarshal([]byte(out), &p) != nil {
			t.Fatalf("deadlines %v: exit %d %s\n%s", args, code, errOut, out)
		}
		return p
	}
	var all []string
	for _, it := range list().Items {
		all = append(all, it.ID)
	}
	if len(all) < 3 {
		t.Fatalf("%d obligations listed, want the 3 callbacks at least: %v", len(all), all)
	}
	var walked []string
	for after := ""; len(walked) <= len(all); {
		p := list("--limit", "1", "--after", after)
		for _, it := range p.Items {
			walked = append(walked, it.ID)
		}
		if p.Next == "" {
			break
		}
		after = p.Next
	}
	if !slices.Equal(walked, all) {
		t.Errorf("one at a time with --after: %v, want %v", walked, all)
	}

	code, _, errOut := run(t.Context(), "", nil, "deadlines", "--data", dir, "--provider", "north", "--limit", "1")
	if want := "go on with --after " + all[0]; code != 0 || !strings.Contains(errOut, want) {
		t.Errorf("table of 1: exit %d, standard error %q, want it to say %q", code, errOut, want)
	}
	code, _, errOut = run(t.Context(), "", nil, "deadlines", "--data", dir, "--provider", "north", "--after", "call_return:NONE")
	if code != 1 || !strings.Contains(errOut, "after") {
		t.Errorf("--after an unknown obligation: exit %d %s, want 1 naming after", code, errOut)
	}
}
