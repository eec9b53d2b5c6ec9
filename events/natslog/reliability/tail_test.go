package reliability

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/events/logtest"
	"github.com/wsledger/wsledger/events/natslog"
)

// TestCutTailRefusesAppends cuts a store's block file short, as a disk or a careless copy can:
// the ledger still opens, reads and verifies, but refuses appends with an error that names the
// lost sequences and says to verify and restore, so that no lost position is used again. With
// the stream's index kept, the server counts the lost messages as deleted; with it removed, the
// server forgets them and only the last sequence the ledger recorded at its last close tells.
func TestCutTailRefusesAppends(t *testing.T) {
	h := writeHistory(t, scale(8, 200))
	mid := h.north[len(h.north)/2]
	last := uint64(len(h.msgs))
	cut := func(seq uint64) func(buf []byte, recs []record) []byte {
		return func(buf []byte, recs []record) []byte {
			r := recordOf(t, recs, seq)
			return buf[:(r.start+r.end)/2]
		}
	}
	boundary := func(buf []byte, recs []record) []byte { return buf[:recordOf(t, recs, mid.Sequence).start] }
	tests := []struct {
		name     string
		edit     func(buf []byte, recs []record) []byte
		lostFrom uint64
		// rebuilt removes the stream's index too, so that the server rebuilds its state from
		// the cut block file and no longer counts the lost messages.
		rebuilt bool
	}{
		{"inside the last record", cut(last), last, false},
		{"inside a record in the middle", cut(mid.Sequence), mid.Sequence, false},
		{"at a record boundary", boundary, mid.Sequence, false},
		{"inside the last record, index rebuilt", cut(last), last, true},
		{"at a record boundary, index rebuilt", boundary, mid.Sequence, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := h.copyStore(t)
			editBlock(t, dir, tt.edit)
			if tt.rebuilt {
				if err := os.Remove(filepath.Join(filepath.Dir(blockFile(t, dir)), "index.db")); err != nil {
					t.Fatal(err)
				}
			}
			l := open(t, natslog.Options{DataDir: dir})
			ctx, cancel := context.WithTimeout(t.Context(), verifyDeadline)
			defer cancel()

			_, err := l.Append(ctx, request("north", "after-the-cut", 1))
			var e *events.Error
			if !errors.As(err, &e) || e.Code != events.Internal ||
				!strings.Contains(e.Message, fmt.Sprintf("stream sequences %d to %d cannot be read", tt.lostFrom, last)) ||
				!strings.Contains(e.Message, "wsledger verify") || !strings.Contains(e.Message, "docs/operations.md") {
				t.Fatalf("append after the cut: %v; want an internal error naming sequences %d to %d, verify and the operations guide", err, tt.lostFrom, last)
			}
			if err := l.Writable(ctx); err == nil || !strings.Contains(err.Error(), "cannot be read") {
				t.Fatalf("writable after the cut: %v; want the damage, for readiness to report", err)
			}
			want := last
			if tt.rebuilt {
				want = tt.lostFrom - 1
			}
			if got, err := l.LastSequence(ctx); err != nil || got != want {
				t.Fatalf("last sequence %d (%v), want %d: nothing appended", got, err, want)
			}
			kept := logtest.ReadAll(t, l, events.ReadOptions{Provider: "north"})
			if len(kept) == 0 || kept[len(kept)-1].Sequence >= tt.lostFrom {
				t.Fatalf("reading north after the cut: %d events", len(kept))
			}
			named := damageFound(t, l)
			if len(named) == 0 {
				t.Fatal("verifying the whole store finds nothing after the cut")
			}
			t.Logf("refused: %s; verify: %s", e.Message, strings.Join(named, "; "))
		})
	}
}
