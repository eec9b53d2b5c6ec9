package domain

import (
	"bytes"
	"crypto/sha256"
	"slices"
	"strings"
)

// InternalReviewSampleSize returns how many files must be reviewed in a month with the given
// caseload: ceil(10%), the manual's minimum (due diligence B.3).
//
// The manual: "The minimum number of files that must be reviewed on a monthly basis is: Ten
// percent (10%) of your agency caseload will be reviewed internally each month." Ten percent is a
// floor, so a fraction of a file rounds up: 151 cases need 16 reviews, not 15. A caseload of 0
// (or less) needs none. The sum is done in integers, so there is no rounding error.
func InternalReviewSampleSize(caseload int) int {
	if caseload <= 0 {
		return 0
	}
	return (caseload + 9) / 10
}

// Bounds of the performance-confirmation sample (WSPM 1015, Performance Confirmation).
const (
	confirmationSamplePercent = 20
	confirmationSampleMin     = 5
	confirmationSampleMax     = 30
)

// ConfirmationSampleSize returns the performance-confirmation sample for a caseload: 20% rounded
// down (the manual calls 20% a maximum), at least 5 (or the whole caseload when smaller), at most 30.
//
// The manual says both "A maximum of 20% of the WSP caseload will be selected for each WSP" and
// "The selection parameters are twenty percent (20%) of the agency caseload for each provider
// with a minimum of five (5) cases and a maximum of 30 cases." Twenty percent is a ceiling, so
// a fraction of a case rounds down (24 cases: 4.8 -> 4, then raised to the minimum of 5). The
// minimum of five cannot exceed the caseload, so a caseload under five is sampled whole.
func ConfirmationSampleSize(caseload int) int {
	if caseload <= 0 {
		return 0
	}
	n := caseload * confirmationSamplePercent / 100
	n = max(n, min(confirmationSampleMin, caseload))
	return min(n, confirmationSampleMax)
}

// SplitByFamilyType divides n sample places across family types in proportion to their case
// counts, by largest remainder (ties broken by family type name), so the parts sum to n.
//
// The manual: "The selection will be weighted in accordance with the overall family type, e.g.
// All Family or Two-Parent families". Each family type first gets the whole part of its quota
// n*count/total; the places left over go one each to the largest fractional parts (Hamilton's
// method), equal fractions in family type name order. Quotas are compared as exact integer
// remainders, never as floats. The counts are weights (the statewide mix), not a pool the places
// are drawn from, so n may exceed their total: a 3:1 mix splits 5 places 4 and 1. Every family
// type in counts is in the result; one with no cases (or a negative count) gets 0, and when n <= 0
// or no count is positive, every one does.
func SplitByFamilyType(n int, counts map[string]int) map[string]int {
	total := 0
	for _, c := range counts {
		total += max(c, 0)
	}
	n = max(n, 0)
	parts := make(map[string]int, len(counts))
	if total == 0 {
		for family := range counts {
			parts[family] = 0
		}
		return parts
	}
	type share struct {
		family    string
		remainder int // the quota's fractional part, over total
	}
	shares := make([]share, 0, len(counts))
	left := n
	for family, c := range counts {
		quota := n * max(c, 0)
		parts[family] = quota / total
		left -= quota / total
		shares = append(shares, share{family, quota % total})
	}
	// The remainders sum to left*total and each is below total, so the places left over all go
	// to family types with a nonzero remainder, never to one with no cases.
	slices.SortFunc(shares, func(a, b share) int {
		if a.remainder != b.remainder {
			return b.remainder - a.remainder
		}
		return strings.Compare(a.family, b.family)
	})
	for _, s := range shares[:left] {
		parts[s.family]++
	}
	return parts
}

// DrawSample ranks case ids by SHA-256(seed || case id) and returns the first n, in rank order,
// so that anyone holding the seed can redraw the same sample.
//
// The digest is taken over the bytes of the seed string followed directly by the bytes of the
// case id, with nothing between; digests are compared as bytes (the same order as comparing
// their hex forms), smallest first, and equal digests (not expected from SHA-256) by case id. A
// case id listed twice is drawn at most once. When n exceeds the number of distinct case ids,
// all of them are returned, ranked; when n <= 0, none. caseIDs is not modified.
func DrawSample(seed string, caseIDs []string, n int) []string {
	type ranked struct {
		id     string
		digest [sha256.Size]byte
	}
	rs := make([]ranked, 0, len(caseIDs))
	seen := make(map[string]bool, len(caseIDs))
	for _, id := range caseIDs {
		if seen[id] {
			continue
		}
		seen[id] = true
		rs = append(rs, ranked{id, sha256.Sum256([]byte(seed + id))})
	}
	slices.SortFunc(rs, func(a, b ranked) int {
		if c := bytes.Compare(a.digest[:], b.digest[:]); c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	})
	sample := make([]string, 0, min(max(n, 0), len(rs)))
	for _, r := range rs[:cap(sample)] {
		sample = append(sample, r.id)
	}
	return sample
}
