package domain

import "github.com/cockroachdb/apd/v3"

// Accuracy returns correct / reviewed exactly (an error when reviewed is 0 or the counts are
// negative or correct > reviewed).
func Accuracy(correct, reviewed int64) (*apd.Decimal, error) { panic("not implemented") }

// ConfirmationRequired returns whether a provider is under monthly performance confirmation after
// a review with the given accuracy, given whether it was before: it enters at <= 79% and leaves
// only at >= 80%; between the two nothing changes.
func ConfirmationRequired(before bool, accuracy *apd.Decimal) bool { panic("not implemented") }

// Ratio returns sum(numerators) / sum(denominators) exactly; ok is false when the denominator is 0.
func Ratio(numerator, denominator int64) (r *apd.Decimal, ok bool) { panic("not implemented") }

// Percent renders a ratio as a percentage with the given decimal places, rounding half up
// (e.g. 0.79125 with 1 place -> "79.1%").
func Percent(r *apd.Decimal, places int32) string { panic("not implemented") }
