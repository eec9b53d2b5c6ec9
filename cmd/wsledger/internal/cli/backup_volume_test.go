package cli_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/backup"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/store"
	"github.com/wsledger/wsledger/events"
)

// TestBackupVolume backs up and restores a ledger of many events (2,048; 100,000 with
// WSLEDGER_LONG=1) across 32 providers: the manifest and the restored store hold every event
// and every history verifies. It logs the figures in docs/reliability.md (events, bytes, seconds).
func TestBackupVolume(t *testing.T) {
	const providers = 32
	perProvider := 64
	if os.Getenv("WSLEDGER_LONG") == "1" {
		perProvider = 3_125
	}
	total := providers * perProvider
	dir := t.TempDir()
	src, dst, bk := filepath.Join(dir, "src"), filepath.Join(dir, "dst"), filepath.Join(dir, "backup")
	fill(t, src, providers, perProvider)

	timed := func(args ...string) time.Duration {
		start := time.Now()
		mustRun(t, "", args...)
		return time.Since(start)
	}
	took := timed("backup", "--data", src, "--out", bk)
	m, err := backup.ReadManifest(bk)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Streams) != 1 || m.Streams[0].Messages != uint64(total) {
		t.Fatalf("the manifest records %d streams; want one with %d messages", len(m.Streams), total)
	}
	var state struct {
		Bytes uint64 `json:"bytes"`
	}
	if err := json.Unmarshal(m.Streams[0].State, &state); err != nil {
		t.Fatal(err)
	}
	restore := timed("restore", "--data", dst, "--in", bk)
	start := time.Now()
	reports := verifyJSON(t, dst)
	verify := time.Since(start)
	var n uint64
	for _, r := range reports {
		n += r.Events
	}
	if len(reports) != providers || n != uint64(total) {
		t.Fatalf("the restored store verifies %d events of %d providers, want %d of %d", n, len(reports), total, providers)
	}
	t.Logf("%d events (stream %d bytes, snapshot %d bytes): backup %s, restore %s, verify %s",
		total, state.Bytes, m.Streams[0].Bytes, took.Round(10*time.Millisecond), restore.Round(10*time.Millisecond), verify.Round(10*time.Millisecond))
}

// fill appends perProvider one-event commands to each of providers providers, one writer each.
func fill(t *testing.T, dataDir string, providers, perProvider int) {
	t.Helper()
	st, err := store.Open(t.Context(), store.Options{DataDir: dataDir})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var wg sync.WaitGroup
	for w := range providers {
		wg.Go(func() {
			p := fmt.Sprintf("p%02d", w)
			for i := range perProvider {
				r := events.AppendRequest{Provider: p, Actor: events.Actor{StaffID: "s1", Role: events.RoleSupervisor}, IdempotencyKey: fmt.Sprint("k", i),
					Events: []events.Draft{{Type: "ItemNoted", Version: 1, AggregateKind: "item", AggregateID: uuid.NewString(), OccurredAt: time.Now(),
						Payload: json.RawMessage(fmt.Sprintf(`{"n":%d,"note":"a note of about a hundred bytes, as the text of a file review's finding, item %d"}`, i, i))}}}
				if _, err := st.Append(t.Context(), r); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
}
