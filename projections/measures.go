package projections

import (
	"cmp"
	"fmt"
	"io"
	"slices"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
)

// Measures is the six performance measures for a provider (or the state), by month and by year,
// and for a provider also by case manager. Every rate is sum(numerators) / sum(denominators) of
// what it covers, exact, never an average of percentages; Percent rounds it half up to one decimal
// place. A month's provider total is the provider-level line DPA posted, or the sum of its case
// managers' lines when it posted none; the latest posting of a month replaces earlier ones.
type Measures struct {
	Scope             string        `json:"scope"` // a provider id, or "statewide"
	Months            []MeasureRate `json:"months"`
	Years             []MeasureRate `json:"years"`
	CaseManagerMonths []MeasureRate `json:"case_manager_months,omitempty"`
	CaseManagerYears  []MeasureRate `json:"case_manager_years,omitempty"`
}

// MeasureRate is one measure's counts and rate over a period (YYYY-MM or YYYY).
type MeasureRate struct {
	Period      string `json:"period"`
	Measure     string `json:"measure"`
	CaseManager string `json:"case_manager,omitempty"`
	Numerator   int64  `json:"numerator"`
	Denominator int64  `json:"denominator"`
	Rate        string `json:"rate,omitempty"` // exact; absent when the denominator is 0
	Percent     string `json:"percent"`        // "n/a" when the denominator is 0
}

// StatewideScope is the Scope of the state's measures.
const StatewideScope = "statewide"

type rateKey struct{ period, measure, caseManager string }

// rateSums adds numerators and denominators by period, measure and case manager.
type rateSums map[rateKey]*[2]int64

func (s rateSums) add(k rateKey, num, den int64) {
	c := s[k]
	if c == nil {
		c = new([2]int64)
		s[k] = c
	}
	c[0] += num
	c[1] += den
}

// rows returns the sums as rates, ordered by case manager, period and measure.
func (s rateSums) rows() []MeasureRate {
	out := make([]MeasureRate, 0, len(s))
	for k, c := range s {
		r := MeasureRate{Period: k.period, Measure: k.measure, CaseManager: k.caseManager, Numerator: c[0], Denominator: c[1]}
		ratio, ok := domain.Ratio(c[0], c[1])
		if ok {
			r.Rate = ratio.Text('f')
		}
		r.Percent = percent(ratio)
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b MeasureRate) int {
		return cmp.Or(cmp.Compare(a.CaseManager, b.CaseManager), cmp.Compare(a.Period, b.Period), cmp.Compare(a.Measure, b.Measure))
	})
	return out
}

// providerTotals returns a month's posting as provider-level counts per measure: the provider line
// when posted, else the sum of the case managers' lines.
func providerTotals(posting []events.Measure) map[string][2]int64 {
	total, fromManagers := map[string][2]int64{}, map[string][2]int64{}
	for _, m := range posting {
		if m.CaseManagerID == "" {
			total[m.Measure] = [2]int64{m.Numerator, m.Denominator}
			continue
		}
		c := fromManagers[m.Measure]
		fromManagers[m.Measure] = [2]int64{c[0] + m.Numerator, c[1] + m.Denominator}
	}
	for k, c := range fromManagers {
		if _, ok := total[k]; !ok {
			total[k] = c
		}
	}
	return total
}

// addTotals adds the model's provider totals, by month and year, to months and years.
func (m *model) addTotals(months, years rateSums) {
	for period, posting := range m.st.Measures {
		for measure, c := range providerTotals(posting) {
			months.add(rateKey{period: period, measure: measure}, c[0], c[1])
			years.add(rateKey{period: year(period), measure: measure}, c[0], c[1])
		}
	}
}

func (m *model) measures() Measures {
	months, years, cmMonths, cmYears := rateSums{}, rateSums{}, rateSums{}, rateSums{}
	m.addTotals(months, years)
	for period, posting := range m.st.Measures {
		for _, x := range posting {
			if x.CaseManagerID != "" {
				cmMonths.add(rateKey{period, x.Measure, x.CaseManagerID}, x.Numerator, x.Denominator)
				cmYears.add(rateKey{year(period), x.Measure, x.CaseManagerID}, x.Numerator, x.Denominator)
			}
		}
	}
	return Measures{Scope: m.st.Provider, Months: months.rows(), Years: years.rows(), CaseManagerMonths: cmMonths.rows(), CaseManagerYears: cmYears.rows()}
}

// year returns the year of a YYYY-MM period.
func year(period string) string {
	if len(period) >= 4 {
		return period[:4]
	}
	return period
}

// WriteText renders the measures, one table per grouping.
func (ms Measures) WriteText(w io.Writer) error {
	section := func(title string, rows []MeasureRate) *table {
		t := &table{title: title, head: []string{"PERIOD", "MEASURE", "CASE MANAGER", "NUMERATOR", "DENOMINATOR", "RATE"}}
		for _, r := range rows {
			t.add(r.Period, r.Measure, orDash(r.CaseManager), fmt.Sprint(r.Numerator), fmt.Sprint(r.Denominator), r.Percent)
		}
		return t
	}
	ts := []*table{
		section("Performance measures of "+ms.Scope+" by year (sum of numerators / sum of denominators; percentages rounded half up to one place)", ms.Years),
		section("By month", ms.Months),
	}
	if ms.Scope != StatewideScope {
		ts = append(ts, section("By case manager and year", ms.CaseManagerYears), section("By case manager and month", ms.CaseManagerMonths))
	}
	return writeTables(w, ts...)
}
