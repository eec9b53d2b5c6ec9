package domain

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestOrderedSet inserts and removes random numbers, sometimes in long runs that split and empty
// many nodes, and checks after every step the count, counts before random points and walks from
// them against a sorted slice holding the same numbers.
func TestOrderedSet(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	s := newOrderedSet(cmp.Compare[int])
	var want []int
	check := func(step int) {
		if s.Len() != len(want) {
			t.Fatalf("step %d: Len %d, want %d", step, s.Len(), len(want))
		}
		for range 3 {
			p := rng.IntN(20_000) - 5
			before := func(x int) bool { return x < p }
			n, _ := slices.BinarySearch(want, p)
			if got := s.countBefore(before); got != n {
				t.Fatalf("step %d: %d before %d, want %d", step, got, p, n)
			}
			var walked []int
			s.ascend(before, func(x int) bool { walked = append(walked, x); return len(walked) < 50 })
			if w := want[n:min(n+50, len(want))]; !slices.Equal(walked, w) {
				t.Fatalf("step %d: from %d walked %v, want %v", step, p, walked, w)
			}
		}
	}
	for step := range 40_000 {
		grow := step%10_000 < 6_000 // runs of mostly inserts, then mostly removals
		x := rng.IntN(20_000)
		i, held := slices.BinarySearch(want, x)
		switch {
		case !held && (grow || rng.IntN(3) == 0):
			s.insert(x)
			want = slices.Insert(want, i, x)
		case held && (!grow || rng.IntN(3) == 0):
			if !s.remove(x) {
				t.Fatalf("step %d: %d held but not removed", step, x)
			}
			want = slices.Delete(want, i, i+1)
		case !held:
			if s.remove(x) {
				t.Fatalf("step %d: removed %d, which was not held", step, x)
			}
		}
		if step%97 == 0 {
			check(step)
		}
	}
	for len(want) > 0 {
		x := want[rng.IntN(len(want))]
		s.remove(x)
		want = slices.DeleteFunc(want, func(y int) bool { return y == x })
	}
	check(-1)
	if s.root != nil {
		t.Error("an emptied set keeps nodes")
	}
}
