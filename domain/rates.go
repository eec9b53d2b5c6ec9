package domain

import (
	"strings"

	"github.com/cockroachdb/apd/v3"
	"github.com/wsledger/wsledger/events"
)

// RatioPrecision is the number of significant digits a quotient keeps. Ratios of counts that fit
// in an int64 either terminate within it or are rounded (half to even) in the 34th digit.
const RatioPrecision = 34

// ratioContext divides counts: 34 significant digits (IEEE 754 decimal128), rounding half to
// even. Rounding cannot move a ratio of counts across a threshold k/100 such as 79% or 80%: a
// ratio p/q that is not exactly k/100 lies at least 1/(100q) from it, while rounding in the 34th
// digit moves it by at most 5e-34 * p/q, which is smaller for any p below 2e31 (every int64).
var ratioContext = apd.Context{
	Precision:   RatioPrecision,
	MaxExponent: apd.MaxExponent,
	MinExponent: apd.MinExponent,
	Traps:       apd.DefaultTraps,
	Rounding:    apd.RoundHalfEven,
}

// Accuracy returns correct / reviewed exactly (an error when reviewed is 0 or the counts are
// negative or correct > reviewed).
//
// The counts are those of a WSQR's work verification, so errors name the fields
// "work_verification.correct" and "work_verification.reviewed".
func Accuracy(correct, reviewed int64) (*apd.Decimal, error) {
	switch {
	case reviewed < 0:
		return nil, events.Errorf(events.Invalid, "work_verification.reviewed", "The number of files reviewed cannot be negative.")
	case reviewed == 0:
		return nil, events.Errorf(events.Invalid, "work_verification.reviewed", "An accuracy rate needs at least one reviewed file.")
	case correct < 0:
		return nil, events.Errorf(events.Invalid, "work_verification.correct", "The number of correct files cannot be negative.")
	case correct > reviewed:
		return nil, events.Errorf(events.Invalid, "work_verification.correct", "The number of correct files cannot exceed the number of files reviewed.")
	}
	r, _ := Ratio(correct, reviewed)
	return r, nil
}

// The thresholds of monthly performance confirmation.
var (
	confirmationEnterAt = apd.New(79, -2) // 79%: at or below, confirmation starts
	confirmationLeaveAt = apd.New(80, -2) // 80%: at or above, confirmation ceases
)

// ConfirmationRequired returns whether a provider is under monthly performance confirmation after
// a review with the given accuracy, given whether it was before: it enters at <= 79% and leaves
// only at >= 80%; between the two nothing changes.
//
// The manual words the rule twice. Under the Participant List: "If a WSP falls below a 79%
// accuracy rate during a review period that provider will be required to complete a review of
// their caseload's work verification until the WSP can demonstrate an accuracy rate of 80% or
// greater." Under the Performance Confirmation report: "If a provider's Work Verification and CMS
// Data Entry category demonstrates an accuracy rate of 79% or lower during a review period that
// provider will complete the process of monthly performance confirmation until their WSQR Work
// Services Quality Review demonstrates that their performance exceeds this standard." The second,
// explicit passage decides the entry: exactly 79% enters. The first decides the exit: 80% or
// greater leaves. A review strictly between 79% and 80% (79.5%) leaves the status as it was.
// A nil accuracy (no review) also leaves it unchanged.
func ConfirmationRequired(before bool, accuracy *apd.Decimal) bool {
	switch {
	case accuracy == nil:
		return before
	case accuracy.Cmp(confirmationEnterAt) <= 0:
		return true
	case accuracy.Cmp(confirmationLeaveAt) >= 0:
		return false
	default:
		return before
	}
}

// Ratio returns sum(numerators) / sum(denominators) exactly; ok is false when the denominator is 0.
//
// A quotient that does not terminate within RatioPrecision significant digits (1/3) is rounded
// half to even in the last digit; a terminating one (4/5 = 0.8, 79/100 = 0.79) is exact, without
// trailing zeros.
func Ratio(numerator, denominator int64) (r *apd.Decimal, ok bool) {
	if denominator == 0 {
		return nil, false
	}
	r = new(apd.Decimal)
	// Neither can fail: the operands are finite, the divisor is nonzero and the exponents stay
	// far inside the context's limits.
	_, _ = ratioContext.Quo(r, apd.New(numerator, 0), apd.New(denominator, 0))
	_, _, _ = ratioContext.Reduce(r, r)
	return r, true
}

// Percent renders a ratio as a percentage with the given decimal places, rounding half up
// (e.g. 0.79125 with 1 place -> "79.1%").
//
// Negative places count as 0. A nil ratio (a denominator of 0) renders as "n/a", as does one
// that is not a finite number.
func Percent(r *apd.Decimal, places int32) string {
	if r == nil || r.Form != apd.Finite {
		return "n/a"
	}
	places = max(places, 0)
	// Enough digits to multiply by 100 exactly and to hold every integer digit of the
	// percentage, the places and a carry (99.96 -> 100.0).
	intDigits := max(r.NumDigits()+int64(r.Exponent)+2, 1)
	ctx := apd.BaseContext.WithPrecision(uint32(max(r.NumDigits()+2, intDigits+int64(places)) + 1))
	ctx.Rounding = apd.RoundHalfUp
	p := new(apd.Decimal)
	if _, err := ctx.Mul(p, r, apd.New(100, 0)); err != nil {
		return "n/a"
	}
	if _, err := ctx.Quantize(p, p, -places); err != nil {
		return "n/a"
	}
	s := p.Text('f')
	if p.IsZero() {
		s = strings.TrimPrefix(s, "-") // a tiny negative rounds to 0, not -0
	}
	return s + "%"
}
