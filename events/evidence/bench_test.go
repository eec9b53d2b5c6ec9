package evidence_test

import (
	"testing"

	"github.com/wsledger/wsledger/events/evidence"
)

// BenchmarkLeafAndAppend is what keeping a provider's tree costs per event: the leaf hash of
// an event's stored bytes (600 bytes, about a typical event's) and its place in the tree.
func BenchmarkLeafAndAppend(b *testing.B) {
	raw := make([]byte, 600)
	var tree evidence.Tree
	b.SetBytes(int64(len(raw)))
	for i := 0; b.Loop(); i++ {
		raw[i%len(raw)]++
		tree.Append(evidence.LeafHash(raw))
	}
}

// BenchmarkSignCheckpoint is what signing one checkpoint costs besides the fsync before it: the
// root of a tree of 100,000 events and the Ed25519 signature.
func BenchmarkSignCheckpoint(b *testing.B) {
	skey, _, err := evidence.GenerateKey("wsledger")
	if err != nil {
		b.Fatal(err)
	}
	var tree evidence.Tree
	for _, l := range leaves(100_000) {
		tree.Append(l)
	}
	for b.Loop() {
		root, err := tree.Root(tree.Size())
		if err != nil {
			b.Fatal(err)
		}
		if _, err := evidence.Sign(evidence.Checkpoint{Origin: "wsledger/north", Size: tree.Size(), Root: root}, skey); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkInclusionProof is what one proof costs in a tree of 100,000 events.
func BenchmarkInclusionProof(b *testing.B) {
	var tree evidence.Tree
	for _, l := range leaves(100_000) {
		tree.Append(l)
	}
	for i := 0; b.Loop(); i++ {
		if _, err := tree.InclusionProof(int64(i*7919%100_000), tree.Size()); err != nil {
			b.Fatal(err)
		}
	}
}
