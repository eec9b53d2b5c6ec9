package web

import (
	"strconv"
	"testing"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/projections"
)

func TestCoverageRows(t *testing.T) {
	cms := func(reviewed ...int) []domain.CaseManagerCoverage {
		var out []domain.CaseManagerCoverage
		for i, n := range reviewed {
			out = append(out, domain.CaseManagerCoverage{CaseManager: "cm" + strconv.Itoa(i+1), Cases: 30, Reviewed: n})
		}
		return out
	}
	months := []projections.MonthCoverage{
		{Month: "2026-08", Reported: true, Required: 7, Reviewed: 7, Met: true, CaseManagers: cms(3, 4)},
		{Month: "2026-09", Reported: true, Required: 7, Reviewed: 7, CaseManagers: cms(7, 0)},
		{Month: "2026-10", Reported: true, Required: 7, Reviewed: 5, Remaining: 2, CaseManagers: cms(2, 3)},
		{Month: "2026-11", Reported: false},
		{Month: "2026-12", Reported: true, Required: 7, Reviewed: 1, Remaining: 6, CaseManagers: cms(1, 0)},
	}
	want := []string{"Met", "no file of cm2 reviewed at month end", "2 short at month end", "No caseload reported", "6 short so far"}
	rows := coverageRows(months, testNow)
	for i, r := range rows {
		if r.Status.Text != want[i] {
			t.Errorf("%s: %q, want %q", r.Month, r.Status.Text, want[i])
		}
	}
}

// Measures share their months; a month a measure was not posted is a gap, and case managers'
// lines are left to the tables.
func TestMeasureTrends(t *testing.T) {
	rows := []projections.MeasureRate{
		{Period: "2026-09", Measure: "b", Numerator: 1, Denominator: 2, Rate: "0.5", Percent: "50.0%"},
		{Period: "2026-10", Measure: "a", Numerator: 3, Denominator: 4, Rate: "0.75", Percent: "75.0%"},
		{Period: "2026-10", Measure: "b", CaseManager: "cm1", Numerator: 1, Denominator: 1, Rate: "1", Percent: "100.0%"},
	}
	trends := measureTrends(rows, "m")
	if len(trends) != 2 || trends[0].Measure != "a" || trends[1].Measure != "b" {
		t.Fatalf("trends %+v, want measures a and b", trends)
	}
	for _, tr := range trends {
		if len(tr.Plot.Ticks) != 2 || len(tr.Plot.Dots) != 1 || len(tr.Rows) != 1 {
			t.Errorf("measure %s: %d months, %d points, %d rows; want 2 months with one point", tr.Measure, len(tr.Plot.Ticks), len(tr.Plot.Dots), len(tr.Rows))
		}
	}
}
