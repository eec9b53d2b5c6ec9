package evidence_test

import (
	"fmt"
	"testing"

	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"

	"github.com/wsledger/wsledger/events/evidence"
)

func leaves(n int) []evidence.Hash {
	out := make([]evidence.Hash, n)
	for i := range out {
		out[i] = evidence.LeafHash(fmt.Appendf(nil, `{"event":%d}`, i))
	}
	return out
}

func bytesOf(hs []evidence.Hash) [][]byte {
	out := make([][]byte, len(hs))
	for i := range hs {
		out[i] = hs[i][:]
	}
	return out
}

// referenceRoot is RFC 6962's tree hash (section 2.1), computed by its recursive definition.
func referenceRoot(ls []evidence.Hash) []byte {
	if len(ls) == 1 {
		return ls[0][:]
	}
	k := 1
	for k*2 < len(ls) {
		k *= 2
	}
	return rfc6962.DefaultHasher.HashChildren(referenceRoot(ls[:k]), referenceRoot(ls[k:]))
}

// TestTreeAgreesWithRFC9162 builds trees of sizes around the tree's stored levels and checks,
// with an independent RFC 9162 implementation (transparency-dev/merkle), every root against the
// recursive definition, and inclusion and consistency proofs against its verifiers.
func TestTreeAgreesWithRFC9162(t *testing.T) {
	all := leaves(70000)
	var tree evidence.Tree
	for _, l := range all {
		tree.Append(l)
	}
	if got := evidence.LeafHash([]byte("x")); string(got[:]) != string(rfc6962.DefaultHasher.HashLeaf([]byte("x"))) {
		t.Fatalf("leaf hash %x, RFC 6962 says %x", got[:], rfc6962.DefaultHasher.HashLeaf([]byte("x")))
	}
	for _, n := range []int64{1, 2, 3, 7, 8, 255, 256, 257, 511, 1000, 65535, 65536, 65537, 70000} {
		root, err := tree.Root(n)
		if err != nil {
			t.Fatal(err)
		}
		if n <= 1000 {
			if want := referenceRoot(all[:n]); string(root[:]) != string(want) {
				t.Fatalf("root of %d leaves: %x, want %x", n, root[:], want)
			}
		}
		for _, i := range []int64{0, n / 2, n - 1} {
			p, err := tree.InclusionProof(i, n)
			if err != nil {
				t.Fatal(err)
			}
			if err := proof.VerifyInclusion(rfc6962.DefaultHasher, uint64(i), uint64(n), all[i][:], bytesOf(p), root[:]); err != nil {
				t.Fatalf("inclusion of %d in %d: %v", i, n, err)
			}
			if err := evidence.CheckInclusion(p, n, root, i, all[i]); err != nil {
				t.Fatal(err)
			}
		}
		for _, m := range []int64{1, n / 3, n - 1} {
			if m < 1 || m >= n {
				continue
			}
			old, _ := tree.Root(m)
			p, err := tree.ConsistencyProof(m, n)
			if err != nil {
				t.Fatal(err)
			}
			if err := proof.VerifyConsistency(rfc6962.DefaultHasher, uint64(m), uint64(n), bytesOf(p), old[:], root[:]); err != nil {
				t.Fatalf("consistency %d to %d: %v", m, n, err)
			}
			if err := evidence.CheckConsistency(p, m, old, n, root); err != nil {
				t.Fatal(err)
			}
		}
	}
	// A changed leaf gives another root, and the old proofs no longer hold.
	var forged evidence.Tree
	for i, l := range all[:1000] {
		if i == 400 {
			l = evidence.LeafHash([]byte("backdated"))
		}
		forged.Append(l)
	}
	old, _ := tree.Root(1000)
	bad, _ := forged.Root(1000)
	if old == bad {
		t.Fatal("a changed leaf left the root unchanged")
	}
	p, _ := tree.InclusionProof(400, 1000)
	if evidence.CheckInclusion(p, 1000, bad, 400, all[400]) == nil {
		t.Fatal("an inclusion proof of the honest tree checked against the forged root")
	}
}
