package reliability

import (
	"testing"

	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/events/natslog"
)

// TestManyReads reads a provider more times than nats-server lets a stream have consumers by
// default (1,000): a busy ledger reads far more often than that in a few minutes (every
// projection rebuild, verification and catch-up is a read). Every read must succeed.
func TestManyReads(t *testing.T) {
	l := open(t, natslog.Options{DataDir: t.TempDir()})
	if _, err := l.Append(t.Context(), request("north", "k-1", 1)); err != nil {
		t.Fatal(err)
	}
	const reads = 1100
	for i := range reads {
		n := 0
		for _, err := range l.Read(t.Context(), events.ReadOptions{Provider: "north"}) {
			if err != nil {
				t.Fatalf("read %d of %d: %v", i+1, reads, err)
			}
			n++
		}
		if n != 1 {
			t.Fatalf("read %d gave %d events, want 1", i+1, n)
		}
	}
}
