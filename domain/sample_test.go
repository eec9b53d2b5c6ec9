package domain

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"sort"
	"testing"
)

func TestSampleSizes(t *testing.T) {
	tests := []struct {
		caseload, internal, confirmation int
	}{
		{0, 0, 0},
		{1, 1, 1},       // 10% of 1 is 0.1 -> 1; 20% is 0.2 -> 0, raised to the whole caseload of 1
		{4, 1, 4},       // 0.4 -> 1; 0.8 -> 0, raised to the whole caseload of 4
		{5, 1, 5},       // 0.5 -> 1; 1 -> raised to the minimum of 5
		{10, 1, 5},      // 1; 2 -> 5
		{11, 2, 5},      // 1.1 -> 2; 2.2 -> 2 -> 5
		{24, 3, 5},      // 2.4 -> 3; 4.8 -> 4 -> 5
		{25, 3, 5},      // 2.5 -> 3; 5
		{30, 3, 6},      // 3; 6
		{149, 15, 29},   // 14.9 -> 15; 29.8 -> 29
		{150, 15, 30},   // 15; 30
		{151, 16, 30},   // 15.1 -> 16; 30.2 -> 30
		{1000, 100, 30}, // 100; 200 -> capped at 30
		{-3, 0, 0},      // no caseload, no sample
	}
	for _, tt := range tests {
		if got := InternalReviewSampleSize(tt.caseload); got != tt.internal {
			t.Errorf("InternalReviewSampleSize(%d) = %d, want %d", tt.caseload, got, tt.internal)
		}
		if got := ConfirmationSampleSize(tt.caseload); got != tt.confirmation {
			t.Errorf("ConfirmationSampleSize(%d) = %d, want %d", tt.caseload, got, tt.confirmation)
		}
	}
}

func TestSplitByFamilyType(t *testing.T) {
	tests := []struct {
		name   string
		n      int
		counts map[string]int
		want   map[string]int
	}{
		{"exact quotas", 30, map[string]int{"all_family": 120, "two_parent": 30},
			map[string]int{"all_family": 24, "two_parent": 6}},
		{"largest remainder wins over name order: 3.4 and 1.6", 5, map[string]int{"all_family": 17, "two_parent": 8},
			map[string]int{"all_family": 3, "two_parent": 2}},
		{"small type gets its place: 4.17 and 0.83", 5, map[string]int{"all_family": 20, "two_parent": 4},
			map[string]int{"all_family": 4, "two_parent": 1}},
		{"a tie between the two family types goes to all_family: 2.5 and 2.5", 5, map[string]int{"two_parent": 50, "all_family": 50},
			map[string]int{"all_family": 3, "two_parent": 2}},
		{"equal remainders go in name order", 5, map[string]int{"two_parent": 10, "child_only": 10, "all_family": 10},
			map[string]int{"all_family": 2, "child_only": 2, "two_parent": 1}},
		{"a family type with no cases gets none", 7, map[string]int{"all_family": 13, "two_parent": 5, "child_only": 0},
			map[string]int{"all_family": 5, "two_parent": 2, "child_only": 0}},
		{"n equal to the caseload takes every case", 18, map[string]int{"all_family": 13, "two_parent": 5},
			map[string]int{"all_family": 13, "two_parent": 5}},
		// The counts weight the places; they are not a pool to draw from, so n may exceed them.
		{"n above the counts: 3.75 and 1.25", 5, map[string]int{"all_family": 3, "two_parent": 1},
			map[string]int{"all_family": 4, "two_parent": 1}},
		{"a 1:1 mix of 29 places: 14.5 and 14.5", 29, map[string]int{"all_family": 1, "two_parent": 1},
			map[string]int{"all_family": 15, "two_parent": 14}},
		{"a 2:1 mix of 6 places", 6, map[string]int{"all_family": 2, "two_parent": 1},
			map[string]int{"all_family": 4, "two_parent": 2}},
		{"all counts zero", 5, map[string]int{"all_family": 0, "two_parent": 0},
			map[string]int{"all_family": 0, "two_parent": 0}},
		{"n of 0", 0, map[string]int{"all_family": 3, "two_parent": 1},
			map[string]int{"all_family": 0, "two_parent": 0}},
		{"no family types", 5, map[string]int{}, map[string]int{}},
	}
	for _, tt := range tests {
		got := SplitByFamilyType(tt.n, tt.counts)
		if !maps.Equal(got, tt.want) {
			t.Errorf("%s: SplitByFamilyType(%d, %v) = %v, want %v", tt.name, tt.n, tt.counts, got, tt.want)
		}
	}
}

func TestSplitByFamilyTypeSumsToN(t *testing.T) {
	counts := map[string]int{"all_family": 97, "two_parent": 31, "child_only": 7, "tribal": 1, "empty": 0}
	for n := 0; n <= 136; n++ {
		parts := SplitByFamilyType(n, counts)
		sum := 0
		for family, p := range parts {
			if p < 0 || p > counts[family] {
				t.Errorf("SplitByFamilyType(%d) gives %s %d of %d cases", n, family, p, counts[family])
			}
			sum += p
		}
		if sum != n {
			t.Errorf("SplitByFamilyType(%d) parts sum to %d", n, sum)
		}
	}
}

// caseIDs returns case-01 ... case-n.
func caseIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("case-%02d", i+1)
	}
	return ids
}

func TestDrawSampleMatchesSha256sum(t *testing.T) {
	// Computed with coreutils, outside Go:
	//   for i in $(seq -w 1 12); do printf '%s %s\n' \
	//     "$(printf 'wsledger-2026-03%s' case-$i | sha256sum | cut -c1-64)" case-$i; done | sort | head -5
	want := []string{"case-07", "case-03", "case-09", "case-04", "case-05"}
	if got := DrawSample("wsledger-2026-03", caseIDs(12), 5); !slices.Equal(got, want) {
		t.Errorf("DrawSample = %v, want %v", got, want)
	}
}

// redraw is the minimal procedure an auditor would write from the recorded seed: hex SHA-256 of
// seed followed by case id, sorted ascending, first n.
func redraw(seed string, ids []string, n int) []string {
	ranked := append([]string(nil), ids...)
	key := func(id string) string { s := sha256.Sum256([]byte(seed + id)); return hex.EncodeToString(s[:]) }
	sort.Slice(ranked, func(i, j int) bool { return key(ranked[i]) < key(ranked[j]) })
	return ranked[:min(n, len(ranked))]
}

func TestDrawSampleCanBeRedrawnFromItsSeed(t *testing.T) {
	ids := caseIDs(151)
	for _, seed := range []string{"", "0", "wsledger-2026-03", "01912f6e-7c3b-7a8e-9f00-5b7c2d1e4a90", "séance ✓"} {
		for _, n := range []int{1, 5, 16, 30, 151} {
			got := DrawSample(seed, ids, n)
			if want := redraw(seed, ids, n); !slices.Equal(got, want) {
				t.Errorf("seed %q, n %d: DrawSample = %v, redrawn %v", seed, n, got, want)
			}
		}
	}
}

func TestDrawSample(t *testing.T) {
	ids := caseIDs(20)
	original := slices.Clone(ids)
	all := DrawSample("seed", ids, 20)

	if !slices.Equal(ids, original) {
		t.Error("DrawSample modified its input")
	}
	if got := DrawSample("seed", ids, 7); !slices.Equal(got, all[:7]) {
		t.Errorf("a smaller sample is not the head of the ranking: %v, ranking %v", got, all)
	}
	if got := DrawSample("seed", ids, 50); !slices.Equal(got, all) {
		t.Errorf("n above the caseload = %v, want every case ranked %v", got, all)
	}
	if got := DrawSample("seed", ids, 0); len(got) != 0 {
		t.Errorf("n of 0 = %v", got)
	}
	if got := DrawSample("seed", nil, 5); len(got) != 0 {
		t.Errorf("no cases = %v", got)
	}
	reversed := slices.Clone(ids)
	slices.Reverse(reversed)
	if got := DrawSample("seed", reversed, 7); !slices.Equal(got, all[:7]) {
		t.Errorf("the order cases are listed in changed the sample: %v", got)
	}
	if got := DrawSample("other seed", ids, 7); slices.Equal(got, all[:7]) {
		t.Errorf("another seed drew the same sample %v", got)
	}
	doubled := append(slices.Clone(ids), ids...)
	if got := DrawSample("seed", doubled, 40); !slices.Equal(got, all) {
		t.Errorf("repeated case ids were drawn twice: %v", got)
	}
	if got := slices.Sorted(slices.Values(all)); !slices.Equal(got, ids) {
		t.Errorf("the full ranking %v is not the caseload", all)
	}
}
