package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cockroachdb/apd/v3"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/auth"
	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/projections"
)

// trendsData is the trends page: accuracy against the performance-confirmation thresholds, the
// six performance measures month by month, and file-review coverage.
type trendsData struct {
	Provider     string
	Accuracy     projections.Accuracy
	AccuracyPlot chart
	Measures     []measureTrend
	Coverage     []coverageRow
	View         viewpoint
}

// coverageRow is one month's file reviews and whether the duty was met (the 10% minimum, every
// case manager's files among them): a past month that fell short is late, the current one still
// has time.
type coverageRow struct {
	projections.MonthCoverage
	Status statusText
}

func coverageRows(months []projections.MonthCoverage, now time.Time) []coverageRow {
	current := domain.DateOf(now).MonthOf().String()
	out := make([]coverageRow, 0, len(months))
	for _, m := range months {
		var st statusText
		short := strconv.Itoa(m.Remaining) + " short"
		if m.Remaining == 0 {
			short = "no file of " + strings.Join(unreviewed(m), ", ") + " reviewed"
		}
		switch {
		case m.Met:
			st = statusText{"ok", "✓", "Met"}
		case !m.Reported:
			st = statusText{string(domain.StatusOverdue), "⚠", "No caseload reported"}
		case m.Month < current:
			st = statusText{string(domain.StatusOverdue), "⚠", short + " at month end"}
		default:
			st = statusText{string(domain.StatusDueSoon), "◷", short + " so far"}
		}
		out = append(out, coverageRow{m, st})
	}
	return out
}

// unreviewed names the case managers of a month none of whose files was reviewed.
func unreviewed(m projections.MonthCoverage) []string {
	var out []string
	for _, cm := range m.CaseManagers {
		if cm.Reviewed == 0 {
			out = append(out, cm.CaseManager)
		}
	}
	return out
}

// measureTrend is one performance measure's months, as a chart and as its data.
type measureTrend struct {
	Measure string // as DPA posts it
	Name    string // for people
	Plot    chart
	Rows    []projections.MeasureRate
}

// measureNames name the performance measures DPA posts for people. A measure without a name
// here is shown by its id.
var measureNames = map[string]string{
	"work_participation":     "Work participation",
	"employment_entry":       "Entered employment",
	"employment_retention":   "Kept employment",
	"earnings_gain":          "Earnings gained",
	"closure_with_earnings":  "Cases closed with earnings",
	"orientation_attendance": "Attended orientation",
}

func measureName(id string) string { return nameIn(measureNames, id) }

// The thresholds of monthly performance confirmation (WSPM 1015), drawn on the accuracy chart.
var (
	enterConfirmation = apd.New(79, -2)
	leaveConfirmation = apd.New(80, -2)
)

func (d *Dashboard) trends(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	provider := r.PathValue("provider")
	src, vp, ok := d.sourceFor(w, r, p, provider, d.cfg.Now())
	if !ok {
		return
	}
	now := src.At()
	acc, err := src.Accuracy()
	if err != nil {
		d.serverError(w, r, p, err)
		return
	}
	ms, _ := src.Measures()
	cov, _ := src.Coverage()
	data := trendsData{
		Provider: provider, Accuracy: acc, AccuracyPlot: accuracyChart(acc), View: vp,
		Measures: measureTrends(ms.Months, "m-"+provider), Coverage: coverageRows(cov.Months, now),
	}
	d.render(w, r, http.StatusOK, "trends", providerPage(r, p, provider, "Trends", "Trends of "+provider, vp, now, data))
}

// accuracyChart plots each WSQR's work-verification accuracy with the 79% line (at or below it,
// performance confirmation starts) and the 80% line (at or above it, it ends).
func accuracyChart(a projections.Accuracy) chart {
	points := make([]chartPoint, 0, len(a.Reviews))
	for _, w := range a.Reviews {
		points = append(points, chartPoint{
			Label: periodName(w.Period), Rate: decimal(w.Accuracy),
			Note: strconv.FormatInt(w.Correct, 10) + " of " + strconv.FormatInt(w.Reviewed, 10) + " correct",
		})
	}
	return newChart(wideChart, "accuracy-chart", "Work-verification accuracy by review period",
		"Accuracy of each quality review (WSQR), with the 79% line at or below which performance confirmation starts and the 80% line at or above which it ends.",
		60, points, []chartRule{
			{Rate: leaveConfirmation, Label: "≥ 80%: confirmation ends", Class: "leave"},
			{Rate: enterConfirmation, Label: "≤ 79%: confirmation starts", Class: "enter", Below: true},
		})
}

// measureTrends returns one trend per measure over every month any measure was posted, so that
// the charts share their months and a month without a posting is a gap.
func measureTrends(rows []projections.MeasureRate, idPrefix string) []measureTrend {
	var months, names []string
	byMeasure := map[string]map[string]projections.MeasureRate{}
	for _, m := range rows {
		if m.CaseManager != "" {
			continue
		}
		if byMeasure[m.Measure] == nil {
			byMeasure[m.Measure] = map[string]projections.MeasureRate{}
			names = append(names, m.Measure)
		}
		byMeasure[m.Measure][m.Period] = m
		if !slices.Contains(months, m.Period) {
			months = append(months, m.Period)
		}
	}
	slices.Sort(months)
	slices.Sort(names)
	out := make([]measureTrend, 0, len(names))
	for i, name := range names {
		t := measureTrend{Measure: name}
		points := make([]chartPoint, 0, len(months))
		for _, month := range months {
			m, ok := byMeasure[name][month]
			pt := chartPoint{Label: periodName(month)}
			if ok {
				pt.Rate, pt.Note = decimal(m.Rate), strconv.FormatInt(m.Numerator, 10)+" of "+strconv.FormatInt(m.Denominator, 10)
				t.Rows = append(t.Rows, m)
			}
			points = append(points, pt)
		}
		t.Name = measureName(name)
		t.Plot = newChart(smallChart, idPrefix+"-"+strconv.Itoa(i), t.Name+" by month",
			"Monthly rate of the performance measure "+t.Name+" ("+name+"): the sum of numerators over the sum of denominators.", 0, points, nil)
		out = append(out, t)
	}
	return out
}

// decimal reads an exact rate the views wrote; nil when there is none (a zero denominator).
func decimal(s string) *apd.Decimal {
	if s == "" {
		return nil
	}
	d, _, err := apd.NewFromString(s)
	if err != nil {
		return nil
	}
	return d
}
