package demo

import (
	"fmt"
	"time"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
)

// sampleCases returns n distinct case ids of the current caseload.
func (y *year) sampleCases(n int) []string {
	perm := y.g.r.Perm(len(y.cases))
	out := make([]string, 0, n)
	for _, i := range perm[:min(n, len(perm))] {
		out = append(out, y.cases[i].id)
	}
	return out
}

// statewideFamilyMix is the statewide Temporary Assistance mix the demo's participant lists give
// (the demo's caseloads are about 15% two-parent families).
var statewideFamilyMix = []map[string]any{{"family_type": "all_family", "cases": 85}, {"family_type": "two_parent", "cases": 15}}

// demoSettings are the policy settings the demo records in each provider's history: the defaults,
// the statewide family mix, and a closure the governor proclaimed for the day after Christmas.
var demoSettings = func() events.PolicySettingsRecorded {
	s := domain.DefaultPolicy().Settings()
	s.StatewideFamilyMix = []events.FamilyShare{{FamilyType: "all_family", Cases: 85}, {FamilyType: "two_parent", Cases: 15}}
	s.Closures = []events.Closure{{Date: "2025-12-26", Name: "Day after Christmas (proclaimed)"}}
	return s
}()

// respondAfter is how many business days a response takes: mostly in time, sometimes late.
func (y *year) respondAfter(late float64) int {
	if y.g.chance(late) && !y.recent {
		return y.g.between(11, 13)
	}
	return y.g.between(2, 9)
}

// dpaReports records last month's inconsistent data report and this month's participant list,
// with the provider's responses, and corrects the report's negative findings.
func (y *year) dpaReports(m domain.Month) {
	g := y.g
	period := m.Prev().String()

	id := "IDR-" + period
	distributed := g.day(g.businessDay(m.First(), 3))
	received := g.at(distributed)
	selected := y.sampleCases(g.between(2, 4))
	var findings []map[string]any
	if g.chance(0.5) {
		fid := id + "-F1"
		findings = append(findings, map[string]any{"finding_id": fid, "category": "activity_coding", "negative": true,
			"description": "Activity coded in ARIES does not match the case file."})
		y.correction(fid, y.pm, received)
	}
	fields := map[string]any{"report_id": id, "kind": events.DPAReportInconsistentData, "period": period,
		"distributed_on": distributed.String(), "selected_cases": selected}
	if findings != nil {
		fields["findings"] = findings
	}
	g.add(received, y.p.id, y.pm, "ReceiveDPAReport", "report-"+id, fields)
	y.respond(id, selected, received, []string{events.ActionCorrected, events.ActionVerified}, 0.2)

	id = "PL-" + m.String()
	listed := g.day(g.cal.BusinessDaysAfterThe20th(m, g.between(3, 5)))
	received = g.at(listed)
	selected = y.sampleCases(g.between(3, 5))
	g.add(received, y.p.id, y.pm, "ReceiveDPAReport", "report-"+id, map[string]any{"report_id": id,
		"kind": events.DPAReportParticipantList, "period": m.String(), "distributed_on": listed.String(), "selected_cases": selected,
		"statewide_family_mix": statewideFamilyMix})
	y.respond(id, selected, received, []string{events.ActionConfirmed}, 0.1)
}

func (y *year) respond(reportID string, selected []string, received time.Time, actions []string, late float64) {
	items := make([]map[string]any, len(selected))
	for i, c := range selected {
		items[i] = map[string]any{"case_id": c, "action": pick(y.g, actions)}
	}
	y.g.add(y.g.later(received, y.respondAfter(late)), y.p.id, y.pm, "RespondToDPAReport", "response-"+reportID,
		map[string]any{"report_id": reportID, "items": items})
}

// monthlyReports records last month's performance measures as DPA posted them and the
// provider's performance invoice (due the 30th; now and then late).
func (y *year) monthlyReports(m domain.Month) {
	g := y.g
	period := m.Prev()
	var measures []map[string]any
	for _, name := range measureNames {
		den := len(y.cases) * g.between(30, 80) / 100
		measures = append(measures, map[string]any{"measure": name, "numerator": den * g.between(45, 95) / 100, "denominator": den})
	}
	for _, cm := range y.cms {
		den := g.between(4, 20)
		measures = append(measures, map[string]any{"measure": measureNames[0], "case_manager_id": cm.id,
			"numerator": den * g.between(40, 100) / 100, "denominator": den})
	}
	posted := g.at(g.businessDay(m.First(), 9))
	g.add(posted, y.p.id, y.pm, "PostPerformanceMeasures", "measures-"+period.String(),
		map[string]any{"period": period.String(), "measures": measures})
	if m == g.current || m == g.current.Prev() {
		// The window for a data grievance on the last two months' measures may still be open at
		// the end; one is filed, so that what is open at the end does not depend on its day.
		y.submitReportAt(events.ReportDataGrievance, period.String(), g.later(posted, 1))
	}

	submitted := g.businessDay(m.First(), g.between(11, 15))
	if g.chance(0.1) && !y.recent {
		submitted = g.businessDay(domain.ThirtiethOfNextMonth(period), g.between(1, 3))
	}
	y.submitReport(events.ReportPerformanceInvoice, period.String(), submitted)
}

func (y *year) submitReport(kind, period string, on domain.Date) {
	y.submitReportAt(kind, period, y.g.at(on))
}

func (y *year) submitReportAt(kind, period string, at time.Time) {
	y.g.add(at, y.p.id, y.pm, "SubmitReport", kind+"-"+period, map[string]any{"kind": kind, "period": period,
		"documents": []map[string]any{{"name": fmt.Sprintf("%s-%s-%s.pdf", y.p.id, kind, period)}}})
}
