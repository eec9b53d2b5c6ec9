package cli_test

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wsledger/wsledger/domain"
)

// TestSubjectKey: the first command that decides creates the subject key beside the data
// directory and says so; the events' ids are keyed with it; a process given another key, or
// a key others can read, is refused.
func TestSubjectKey(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	keyFile := data + "-keys/subject.key"
	register := func(provider string) string {
		return `{"type":"RegisterProvider","provider":"` + provider + `","actor":{"staff_id":"ad1","role":"admin"},"name":"N","region":"interior"}` + "\n"
	}
	code, out, errOut := run(t.Context(), register("north"), nil, "submit", "--data", data)
	if code != 0 || !strings.Contains(errOut, "created the subject key "+keyFile+"; back it up") {
		t.Fatalf("first submit: exit %d: %s", code, errOut)
	}
	var res struct {
		Events []struct {
			Aggregate string `json:"aggregate"`
		} `json:"events"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || len(res.Events) != 1 {
		t.Fatalf("submit's answer %s: %v", out, err)
	}
	text, err := os.ReadFile(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	secret, _ := hex.DecodeString(strings.TrimSpace(string(text)))
	key, err := domain.NewSubjectKey(secret)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := res.Events[0].Aggregate, key.AggregateID("north", domain.KindProvider, "north"); got != want || got == domain.AggregateID("north", domain.KindProvider, "north") {
		t.Fatalf("the event's aggregate is %s, want the keyed %s", got, want)
	}

	if code, _, errOut := run(t.Context(), register("south"), nil, "submit", "--data", data); code != 0 || strings.Contains(errOut, "created") {
		t.Fatalf("second submit: exit %d: %s", code, errOut)
	}
	other := filepath.Join(t.TempDir(), "other.key")
	if code, _, errOut := run(t.Context(), register("east"), nil, "submit", "--data", data, "--subject-key", other); code != 1 || !strings.Contains(errOut, "derived with another key") {
		t.Fatalf("another key: exit %d: %s", code, errOut)
	}
	if err := os.Chmod(keyFile, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := run(t.Context(), register("east"), nil, "submit", "--data", data); code != 1 || !strings.Contains(errOut, "chmod 600") {
		t.Fatalf("a key others can read: exit %d: %s", code, errOut)
	}
}
