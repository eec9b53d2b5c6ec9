package domain

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestSortByDueThenID checks the key sort against sorting the obligations themselves, on lists
// with shared due instants, instants a nanosecond apart, zero and far instants, and repeated ids.
func TestSortByDueThenID(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	base := time.Date(2026, 3, 9, 17, 0, 0, 0, Anchorage)
	instants := []time.Time{{}, base, base.Add(time.Nanosecond), base.Add(-time.Nanosecond), base.AddDate(-30, 0, 0),
		base.AddDate(200, 0, 0), base.UTC(), time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC)}
	for _, n := range []int{0, 1, 2, 3, 10, 100, 1000} {
		for round := range 20 {
			list := make([]Obligation, n)
			for i := range list {
				due := instants[rng.IntN(len(instants))].Add(time.Duration(rng.IntN(3)) * time.Hour)
				list[i] = Obligation{ID: fmt.Sprintf("o%d", rng.IntN(n+1)), Due: due, Note: fmt.Sprint(i)}
			}
			want := slices.Clone(list)
			slices.SortStableFunc(want, func(a, b Obligation) int {
				return cmp.Or(a.Due.Compare(b.Due), cmp.Compare(a.ID, b.ID))
			})
			got := slices.Clone(list)
			sortByDueThenID(got)
			for i := range got {
				// Obligations equal by due and id may come in either order; the rest must match.
				if !got[i].Due.Equal(want[i].Due) || got[i].ID != want[i].ID {
					t.Fatalf("n=%d round %d: position %d holds %v %s, want %v %s", n, round, i, got[i].Due, got[i].ID, want[i].Due, want[i].ID)
				}
			}
			notes := func(l []Obligation) []string {
				out := make([]string, len(l))
				for i := range l {
					out[i] = l[i].Note
				}
				slices.Sort(out)
				return out
			}
			if !slices.Equal(notes(got), notes(list)) {
				t.Fatalf("n=%d round %d: the sort lost or repeated obligations", n, round)
			}
		}
	}
}
