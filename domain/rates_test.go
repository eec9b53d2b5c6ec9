package domain

import (
	"errors"
	"math"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/wsledger/wsledger/events"
)

func dec(t *testing.T, s string) *apd.Decimal {
	t.Helper()
	v, _, err := apd.NewFromString(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestRatio(t *testing.T) {
	tests := []struct {
		num, den int64
		want     string // the exact decimal, or the quotient to 34 significant digits
	}{
		{79, 100, "0.79"},
		{158, 200, "0.79"}, // written without trailing zeros, whatever the counts
		{4, 5, "0.8"},
		{5, 5, "1"},
		{0, 7, "0"},
		{1, 3, "0.3333333333333333333333333333333333"},
		{2, 3, "0.6666666666666666666666666666666667"},
		{1, 7, "0.1428571428571428571428571428571429"},
		// The 35th digit is a 5 followed by nothing: half to even rounds down to ...62.
		{1761, 17592186044416, "1.001012606138829141855239868164062E-10"},
		{7_110_000_000_000_000_000, 9_000_000_000_000_000_000, "0.79"},
		{7_109_999_999_999_999_999, 9_000_000_000_000_000_000, "0.7899999999999999998888888888888889"},
		{math.MaxInt64 - 1, math.MaxInt64, "0.9999999999999999998915797827514496"},
		{123_456_789_012, 987_654_321_098, "0.1249999988606843751272900381889035"},
	}
	for _, tt := range tests {
		got, ok := Ratio(tt.num, tt.den)
		if !ok {
			t.Errorf("Ratio(%d, %d) not ok", tt.num, tt.den)
			continue
		}
		want := dec(t, tt.want)
		if got.Cmp(want) != 0 {
			t.Errorf("Ratio(%d, %d) = %s, want %s", tt.num, tt.den, got, want)
		}
		if got.String() != want.String() {
			t.Errorf("Ratio(%d, %d) is written %s, want %s", tt.num, tt.den, got, want)
		}
	}
	if r, ok := Ratio(3, 0); ok || r != nil {
		t.Errorf("Ratio(3, 0) = %v, %v; want nil, false", r, ok)
	}
}

func TestAccuracy(t *testing.T) {
	tests := []struct {
		correct, reviewed int64
		want              string
		field             string // the field an error names; "" when there is none
	}{
		{79, 100, "0.79", ""},
		{4, 5, "0.8", ""},
		{0, 12, "0", ""},
		{12, 12, "1", ""},
		{0, 0, "", "work_verification.reviewed"},
		{5, 0, "", "work_verification.reviewed"},
		{1, -4, "", "work_verification.reviewed"},
		{-1, 4, "", "work_verification.correct"},
		{5, 4, "", "work_verification.correct"},
	}
	for _, tt := range tests {
		got, err := Accuracy(tt.correct, tt.reviewed)
		if tt.field == "" {
			if err != nil || got.Cmp(dec(t, tt.want)) != 0 {
				t.Errorf("Accuracy(%d, %d) = %v, %v; want %s", tt.correct, tt.reviewed, got, err, tt.want)
			}
			continue
		}
		var e *events.Error
		if !errors.As(err, &e) || e.Code != events.Invalid || e.Field != tt.field || e.Message == "" || got != nil {
			t.Errorf("Accuracy(%d, %d) = %v, %v; want an invalid error on %s", tt.correct, tt.reviewed, got, err, tt.field)
		}
	}
}

func TestConfirmationRequired(t *testing.T) {
	tests := []struct {
		name     string
		accuracy *apd.Decimal
		before   bool
		want     bool
	}{
		{"78% enters", dec(t, "0.78"), false, true},
		{"78% stays in", dec(t, "0.78"), true, true},
		{"exactly 79% enters (\"79% or lower\")", dec(t, "0.79"), false, true},
		{"exactly 79% stays in", dec(t, "0.79"), true, true},
		{"79.5% does not enter", dec(t, "0.795"), false, false},
		{"79.5% does not leave", dec(t, "0.795"), true, true},
		{"just under 80% does not leave", dec(t, "0.7999999999999999998888888888888889"), true, true},
		{"exactly 80% leaves (\"80% or greater\")", dec(t, "0.80"), true, false},
		{"exactly 80% does not enter", dec(t, "0.8"), false, false},
		{"100% leaves", dec(t, "1"), true, false},
		{"0% enters", dec(t, "0"), false, true},
		{"no review leaves the status in", nil, true, true},
		{"no review leaves the status out", nil, false, false},
	}
	for _, tt := range tests {
		if got := ConfirmationRequired(tt.before, tt.accuracy); got != tt.want {
			t.Errorf("%s: ConfirmationRequired(%v, %v) = %v, want %v", tt.name, tt.before, tt.accuracy, got, tt.want)
		}
	}
}

// TestConfirmationRequiredFromCounts runs the thresholds on ratios of counts, including counts
// so large that a float64 would round them onto the threshold.
func TestConfirmationRequiredFromCounts(t *testing.T) {
	tests := []struct {
		correct, reviewed int64
		before, want      bool
	}{
		{79, 100, false, true},
		{159, 200, false, false}, // 79.5%
		{159, 200, true, true},
		{4, 5, true, false},
		{7_110_000_000_000_000_000, 9_000_000_000_000_000_000, false, true},  // exactly 79%
		{7_110_000_000_000_000_001, 9_000_000_000_000_000_000, false, false}, // a hair above 79%
		{7_199_999_999_999_999_999, 9_000_000_000_000_000_000, true, true},   // a hair below 80%
		{7_200_000_000_000_000_000, 9_000_000_000_000_000_000, true, false},  // exactly 80%
	}
	for _, tt := range tests {
		acc, err := Accuracy(tt.correct, tt.reviewed)
		if err != nil {
			t.Fatal(err)
		}
		if got := ConfirmationRequired(tt.before, acc); got != tt.want {
			t.Errorf("%d/%d (%s), before %v: ConfirmationRequired = %v, want %v", tt.correct, tt.reviewed, acc, tt.before, got, tt.want)
		}
	}
}

func TestPercent(t *testing.T) {
	tests := []struct {
		ratio  string
		places int32
		want   string
	}{
		{"0.79125", 1, "79.1%"},
		{"0.7925", 1, "79.3%"}, // half up (half to even would give 79.2%)
		{"0.7915", 1, "79.2%"},
		{"0.79", 0, "79%"},
		{"0.79", 2, "79.00%"},
		{"0.8", 1, "80.0%"},
		{"0.3333333333333333333333333333333333", 1, "33.3%"},
		{"0.3333333333333333333333333333333333", 0, "33%"},
		{"0.6666666666666666666666666666666667", 1, "66.7%"},
		{"0.7999999999999999998888888888888889", 2, "80.00%"}, // renders as 80% but does not leave confirmation
		{"0.9996", 1, "100.0%"},
		{"1", 1, "100.0%"},
		{"1E+2", 1, "10000.0%"},
		{"0", 1, "0.0%"},
		{"-0.0001", 1, "0.0%"},
		{"0.555", -1, "56%"},
	}
	for _, tt := range tests {
		if got := Percent(dec(t, tt.ratio), tt.places); got != tt.want {
			t.Errorf("Percent(%s, %d) = %q, want %q", tt.ratio, tt.places, got, tt.want)
		}
	}
	if got := Percent(nil, 1); got != "n/a" {
		t.Errorf("Percent(nil, 1) = %q, want n/a", got)
	}
}
