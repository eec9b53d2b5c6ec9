package evidence

import (
	"encoding/hex"
	"errors"
	"fmt"

	"golang.org/x/mod/sumdb/tlog"
)

// Hash is a SHA-256 hash of a leaf or a node of a provider's tree.
type Hash = tlog.Hash

// LeafHash returns the leaf hash of an event's stored bytes: SHA-256(0x00 || raw).
func LeafHash(raw []byte) Hash { return tlog.RecordHash(raw) }

// ParseHash reads a hash written in hex, as receipts and proofs give it.
func ParseHash(s string) (Hash, error) {
	var h Hash
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != len(h) {
		return h, fmt.Errorf("evidence: %q is not a hex SHA-256 hash", s)
	}
	copy(h[:], b)
	return h, nil
}

// Hex returns h in hex.
func Hex(h Hash) string { return hex.EncodeToString(h[:]) }

// stride is how many hashes of one level make one hash of the level kept above it: the tree
// keeps the hashes at heights 0, 8, 16... (the leaves, and the roots of every complete subtree of
// 256, 65,536... leaves) and computes the ones between when a proof needs them, so that it
// holds about 32 bytes a leaf.
const (
	strideBits = 8
	stride     = 1 << strideBits
)

// Tree is one provider's Merkle tree, built by appending leaf hashes in position order. It is
// not safe for concurrent use.
type Tree struct {
	levels [][]Hash // levels[k]: the hashes at height 8k, left to right
}

// Append adds the next leaf.
func (t *Tree) Append(leaf Hash) {
	h := leaf
	for k := 0; ; k++ {
		if k == len(t.levels) {
			t.levels = append(t.levels, nil)
		}
		t.levels[k] = append(t.levels[k], h)
		n := len(t.levels[k])
		if n%stride != 0 {
			return
		}
		h = reduce(t.levels[k][n-stride:])
	}
}

// reduce returns the root of the complete subtree over hashes, whose count is a power of two.
func reduce(hashes []Hash) Hash {
	level := append([]Hash(nil), hashes...)
	for len(level) > 1 {
		for i := 0; i < len(level)/2; i++ {
			level[i] = tlog.NodeHash(level[2*i], level[2*i+1])
		}
		level = level[:len(level)/2]
	}
	return level[0]
}

// Size returns the number of leaves.
func (t *Tree) Size() int64 {
	if len(t.levels) == 0 {
		return 0
	}
	return int64(len(t.levels[0]))
}

// Leaf returns the leaf hash at index i (the event at position i+1).
func (t *Tree) Leaf(i int64) Hash { return t.levels[0][i] }

// Leaves returns the leaf hashes from index from up to, not including, to.
func (t *Tree) Leaves(from, to int64) []Hash {
	return append([]Hash(nil), t.levels[0][from:to]...)
}

// ReadHashes implements tlog.HashReader: the hash of each complete subtree the stored-hash
// index names.
func (t *Tree) ReadHashes(indexes []int64) ([]Hash, error) {
	out := make([]Hash, len(indexes))
	for i, index := range indexes {
		level, n := tlog.SplitStoredHashIndex(index)
		k, r := level/strideBits, level%strideBits
		if k >= len(t.levels) {
			return nil, errNotStored(level, n)
		}
		lo, hi := n<<r, (n+1)<<r
		if hi > int64(len(t.levels[k])) {
			return nil, errNotStored(level, n)
		}
		out[i] = reduce(t.levels[k][lo:hi])
	}
	return out, nil
}

func errNotStored(level int, n int64) error {
	return fmt.Errorf("evidence: the tree has no complete subtree %d at height %d", n, level)
}

// Root returns the root hash of the tree's first n leaves.
func (t *Tree) Root(n int64) (Hash, error) {
	if n < 1 || n > t.Size() {
		return Hash{}, fmt.Errorf("evidence: no tree of size %d among %d leaves", n, t.Size())
	}
	return tlog.TreeHash(n, t)
}

// InclusionProof returns the RFC 9162 inclusion proof of leaf index i in the tree of size n:
// the sibling hashes from the leaf up to the root.
func (t *Tree) InclusionProof(i, n int64) ([]Hash, error) {
	if i < 0 || i >= n || n > t.Size() {
		return nil, fmt.Errorf("evidence: no leaf %d in a tree of size %d (of %d)", i, n, t.Size())
	}
	p, err := tlog.ProveRecord(n, i, t)
	return p, err
}

// ConsistencyProof returns the RFC 9162 consistency proof that the tree of size n extends the
// tree of size m.
func (t *Tree) ConsistencyProof(m, n int64) ([]Hash, error) {
	if m < 1 || m > n || n > t.Size() {
		return nil, fmt.Errorf("evidence: no consistency proof from size %d to %d (of %d)", m, n, t.Size())
	}
	p, err := tlog.ProveTree(n, m, t)
	return p, err
}

// CheckInclusion verifies that leaf is at index i of the tree of size n with root.
func CheckInclusion(proof []Hash, n int64, root Hash, i int64, leaf Hash) error {
	if err := tlog.CheckRecord(proof, n, root, i, leaf); err != nil {
		return errors.New("evidence: the inclusion proof does not lead to the checkpoint's root")
	}
	return nil
}

// CheckConsistency verifies that the tree of size n with root extends the tree of size m with
// oldRoot.
func CheckConsistency(proof []Hash, m int64, oldRoot Hash, n int64, root Hash) error {
	if m == n {
		if oldRoot != root || len(proof) != 0 {
			return errors.New("evidence: two trees of the same size with different roots")
		}
		return nil
	}
	if err := tlog.CheckTree(proof, n, root, m, oldRoot); err != nil {
		return fmt.Errorf("evidence: the tree of size %d does not extend the tree of size %d", n, m)
	}
	return nil
}

// RootOf returns the root hash of leaves.
func RootOf(leaves []Hash) (Hash, error) {
	var t Tree
	for _, l := range leaves {
		t.Append(l)
	}
	return t.Root(int64(len(leaves)))
}
