package witness

import (
	"crypto/sha256"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/wsledger/wsledger/events/evidence"
	"github.com/wsledger/wsledger/projections/wsta"
)

// history is a provider's leaves and event ids as a ledger would publish them.
type history struct {
	leaves []evidence.Hash
	ids    []string
}

func newHistory(n int, seed string) history {
	var h history
	for i := range n {
		h.leaves = append(h.leaves, sha256.Sum256([]byte(fmt.Sprintf("%s-%d", seed, i))))
		h.ids = append(h.ids, uuid.NewSHA1(uuid.NameSpaceOID, []byte(fmt.Sprint(i))).String())
	}
	return h
}

// with returns h with the leaf at position pos replaced (the event's id kept).
func (h history) with(pos int, seed string) history {
	out := history{leaves: append([]evidence.Hash(nil), h.leaves...), ids: h.ids}
	out.leaves[pos-1] = sha256.Sum256([]byte(seed))
	return out
}

func (h history) notice(from, to int) wsta.LeavesNotice {
	n := wsta.LeavesNotice{Kind: wsta.KindLeaves, Provider: "north", From: int64(from)}
	for i := from - 1; i < to; i++ {
		n.Leaves = append(n.Leaves, wsta.Leaf{Event: h.ids[i], LeafHash: evidence.Hex(h.leaves[i])})
	}
	return n
}

// checkpoint signs the checkpoint of h's first size leaves, with the consistency proof from
// prev.
func (h history) checkpoint(t *testing.T, skey, origin string, size, prev int) wsta.CheckpointNotice {
	t.Helper()
	var tree evidence.Tree
	for _, l := range h.leaves[:size] {
		tree.Append(l)
	}
	root, _ := tree.Root(int64(size))
	note, err := evidence.Sign(evidence.Checkpoint{Origin: origin, Size: int64(size), Root: root}, skey)
	if err != nil {
		t.Fatal(err)
	}
	c := wsta.CheckpointNotice{Kind: wsta.KindCheckpoint, Provider: "north", Size: int64(size), Checkpoint: string(note), PreviousSize: int64(prev)}
	if prev > 0 {
		proof, err := tree.ConsistencyProof(int64(prev), int64(size))
		if err != nil {
			t.Fatal(err)
		}
		c.Consistency = evidence.Hexes(proof)
	}
	return c
}

// TestCheckCheckpoint starts from a witness that checked a provider's checkpoint of size 4 and
// gives it what a ledger may publish next.
func TestCheckCheckpoint(t *testing.T) {
	skey, vkey, err := evidence.GenerateKey("wsledger")
	if err != nil {
		t.Fatal(err)
	}
	otherKey, _, _ := evidence.GenerateKey("wsledger")
	h := newHistory(6, "a")
	rewritten := h.with(3, "backdated")
	badProof := h.checkpoint(t, skey, "wsledger/north", 6, 4)
	badProof.Consistency[0] = evidence.Hex(sha256.Sum256([]byte("not a node")))
	tests := []struct {
		name       string
		leaves     []wsta.LeavesNotice
		checkpoint wsta.CheckpointNotice
		want       outcome
		reason     string
		says       string
		diffAt     int64 // position of the difference named, 0: none
		follow     int64 // size of the history followed after the refusal, 0: none
	}{
		{name: "extends", leaves: []wsta.LeavesNotice{h.notice(5, 6)}, checkpoint: h.checkpoint(t, skey, "wsledger/north", 6, 4), want: accepted},
		{name: "extends, its leaves in two runs", leaves: []wsta.LeavesNotice{h.notice(5, 5), h.notice(6, 6)}, checkpoint: h.checkpoint(t, skey, "wsledger/north", 6, 4), want: accepted},
		{name: "extends, the leaves sent again from the start", leaves: []wsta.LeavesNotice{h.notice(1, 6)}, checkpoint: h.checkpoint(t, skey, "wsledger/north", 6, 0), want: accepted},
		{name: "the same checkpoint again", checkpoint: h.checkpoint(t, skey, "wsledger/north", 4, 0), want: known},
		{name: "another key of the same name", leaves: []wsta.LeavesNotice{h.notice(5, 6)}, checkpoint: h.checkpoint(t, otherKey, "wsledger/north", 6, 4),
			reason: ReasonSignature, says: "does not verify with the ledger's key"},
		{name: "another provider's origin", leaves: []wsta.LeavesNotice{h.notice(5, 6)}, checkpoint: h.checkpoint(t, skey, "wsledger/south", 6, 4),
			reason: ReasonSignature, says: `origin is "wsledger/south"`},
		{name: "a history rewritten and grown", leaves: []wsta.LeavesNotice{rewritten.notice(1, 6)}, checkpoint: rewritten.checkpoint(t, skey, "wsledger/north", 6, 0),
			reason: ReasonInconsistent, says: "does not extend the checkpoint of size 4", diffAt: 3, follow: 6},
		{name: "a history rewritten, same size", leaves: []wsta.LeavesNotice{rewritten.notice(1, 4)}, checkpoint: rewritten.checkpoint(t, skey, "wsledger/north", 4, 0),
			reason: ReasonInconsistent, says: "two checkpoints of size 4", diffAt: 3, follow: 4},
		{name: "a rollback", checkpoint: h.checkpoint(t, skey, "wsledger/north", 3, 0),
			reason: ReasonRollback, says: "events at positions 4 to 4 are gone", follow: 3},
		{name: "leaves that do not make the root", leaves: []wsta.LeavesNotice{rewritten.notice(5, 6)}, checkpoint: rewritten.checkpoint(t, skey, "wsledger/north", 6, 4),
			reason: ReasonInconsistent, says: "do not hash to the root"},
		{name: "a published proof that fails", leaves: []wsta.LeavesNotice{h.notice(5, 6)}, checkpoint: badProof,
			reason: ReasonInconsistent, says: "the consistency proof the ledger published from size 4 to 6 does not check", follow: 6},
		{name: "leaves that never came", checkpoint: h.checkpoint(t, skey, "wsledger/north", 6, 4), want: unchecked, says: "the leaves of positions 5 to 6 never came"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			p, err := openProvider(dir, "north")
			if err != nil {
				t.Fatal(err)
			}
			if err := p.addLeaves(h.notice(1, 4)); err != nil {
				t.Fatal(err)
			}
			if out, f, err := p.checkCheckpoint(h.checkpoint(t, skey, "wsledger/north", 4, 0), "wsledger", vkey); out != accepted || f != nil || err != nil {
				t.Fatalf("the first checkpoint: %v, %v, %v", out, f, err)
			}
			for _, n := range tt.leaves {
				if err := p.addLeaves(n); err != nil {
					t.Fatal(err)
				}
			}
			out, f, err := p.checkCheckpoint(tt.checkpoint, "wsledger", vkey)
			if tt.reason == "" {
				if f != nil || out != tt.want || (err != nil) != (tt.want == unchecked) {
					t.Fatalf("got %v, %+v, %v; want outcome %v", out, f, err, tt.want)
				}
				if err != nil && !strings.Contains(err.Error(), tt.says) {
					t.Errorf("the error %q does not say %q", err, tt.says)
				}
				if out == accepted {
					kept, ids, err := records(filepath.Join(dir, "north", p.st.Kept.Tree)).read(6)
					if err != nil || p.st.Kept.Size != 6 || fmt.Sprint(kept) != fmt.Sprint(h.leaves) || fmt.Sprint(ids) != fmt.Sprint(h.ids) || p.st.Pending.Count != 0 {
						t.Errorf("after it, the kept history: size %d, %v (%v), pending %+v", p.st.Kept.Size, ids, err, p.st.Pending)
					}
				}
				return
			}
			if err != nil || f == nil || f.reason != tt.reason || !strings.Contains(f.message, tt.says) {
				t.Fatalf("got %v, %+v, %v; want a finding %s saying %q", out, f, err, tt.reason, tt.says)
			}
			switch {
			case tt.diffAt == 0 && f.diff != nil:
				t.Errorf("a difference named where the leaves show none: %+v", f.diff)
			case tt.diffAt != 0 && (f.diff == nil || f.diff.Position != tt.diffAt || f.diff.KeptLeaf != evidence.Hex(h.leaves[tt.diffAt-1]) ||
				f.diff.NewLeaf != evidence.Hex(rewritten.leaves[tt.diffAt-1]) || f.diff.KeptEvent != h.ids[tt.diffAt-1]):
				t.Errorf("the difference: %+v, want position %d", f.diff, tt.diffAt)
			}
			if got := int64(0); f.follow != nil {
				got = f.follow.size
				if got != tt.follow {
					t.Errorf("the history followed after it has size %d, want %d", got, tt.follow)
				}
			} else if tt.follow != 0 {
				t.Errorf("no history followed after it, want size %d", tt.follow)
			}
			if p.st.Kept.Size != 4 || p.tree.Size() != 4 {
				t.Errorf("a refused checkpoint changed the kept history: size %d, tree %d", p.st.Kept.Size, p.tree.Size())
			}
		})
	}
}
