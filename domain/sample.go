package domain

// InternalReviewSampleSize returns how many files must be reviewed in a month with the given
// caseload: ceil(10%), the manual's minimum (due diligence B.3).
func InternalReviewSampleSize(caseload int) int { panic("not implemented") }

// ConfirmationSampleSize returns the performance-confirmation sample for a caseload: 20% rounded
// down (the manual calls 20% a maximum), at least 5 (or the whole caseload when smaller), at most 30.
func ConfirmationSampleSize(caseload int) int { panic("not implemented") }

// SplitByFamilyType divides n sample places across family types in proportion to their case
// counts, by largest remainder (ties broken by family type name), so the parts sum to n.
func SplitByFamilyType(n int, counts map[string]int) map[string]int { panic("not implemented") }

// DrawSample ranks case ids by SHA-256(seed || case id) and returns the first n, in rank order,
// so that anyone holding the seed can redraw the same sample.
func DrawSample(seed string, caseIDs []string, n int) []string { panic("not implemented") }
