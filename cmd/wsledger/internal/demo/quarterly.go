package demo

import (
	"fmt"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
)

// quarterOf returns a month's calendar quarter, written YYYY-Qn.
func quarterOf(m domain.Month) string { return fmt.Sprintf("%d-Q%d", m.Year, (int(m.Month)-1)/3+1) }

// quarterly, in the first month of a calendar quarter (after the year's first month, so four
// times a year), records the last quarter's QCIP and WSQR: the findings with the agreed response
// date and the work-verification counts, the response with a plan for every negative finding,
// the corrections, and WSTA's confirmation when performance confirmation starts or ceases. The
// n-th of the year draws from a random stream of its own.
func (y *year) quarterly(i int, m domain.Month) {
	if (int(m.Month)-1)%3 != 0 || y.quarters == len(y.p.accuracy) || i == 0 {
		return
	}
	g := y.g
	n := y.quarters
	y.quarters++
	g.stream(y.p.id, fmt.Sprintf("quarter-%d", n))
	quarter := quarterOf(m.Prev())
	submitted := g.businessDay(m.First(), g.between(8, 14))
	if y.p.id == "kenai" && n == 1 {
		submitted = g.businessDay(domain.ThirtiethOfNextMonth(m.Prev()), 2) // a late QCIP
	}
	y.submitReport(events.ReportQCIP, quarter, submitted)

	id := "WSQR-" + quarter
	received := g.at(g.businessDay(m.First(), 6))
	due := g.cal.AddBusinessDays(domain.DateOf(received), 15)
	var findings, plans []map[string]any
	for k := range g.between(2, 3) {
		fid := fmt.Sprintf("%s-F%d", id, k+1)
		negative := k == 0 || g.chance(0.5)
		findings = append(findings, map[string]any{"finding_id": fid, "category": pick(g, findingCategories), "negative": negative,
			"description": "Identified in the Work Services Quality Review."})
		if negative {
			plans = append(plans, map[string]any{"finding_id": fid, "plan": "Retrain case managers and add a supervisor check to the monthly review."})
			y.correction(fid, y.pm, received)
		}
	}
	correct, reviewed := y.p.accuracy[n], int64(100)
	if correct > 100 {
		reviewed = 1000
	}
	g.add(received, y.p.id, y.pm, "ReceiveWSQRFindings", "wsqr-"+id, map[string]any{"wsqr_id": id, "period": quarter,
		"response_due": due.String(), "findings": findings,
		"work_verification": map[string]any{"correct": correct, "reviewed": reviewed}})
	days := g.between(6, 12)
	if y.p.id == "tongass" && n == 2 {
		days = 18 // a late response
	}
	g.add(g.later(received, days), y.p.id, y.pm, "SubmitWSQRResponse", "wsqr-response-"+id, map[string]any{"wsqr_id": id,
		"plans": plans, "best_practice": "Peer review of case notes every week."})

	if state := confirmationChange(y.p.accuracy, n); state != "" {
		g.add(g.later(received, 3), y.p.id, wsta, "ConfirmPerformanceConfirmation", "confirmation-"+id,
			map[string]any{"state": state, "wsqr_id": id})
	}
}

// confirmationChange says whether WSQR n starts or ends performance confirmation: it starts at
// 79% or less and ends at 80% or more (the manual's thresholds; docs/policy.md).
func confirmationChange(accuracy [4]int64, n int) string {
	in := false
	state := ""
	for i := 0; i <= n; i++ {
		perMille := accuracy[i]
		if perMille <= 100 {
			perMille *= 10
		}
		switch {
		case !in && perMille <= 790:
			in, state = true, events.ConfirmationStarted
		case in && perMille >= 800:
			in, state = false, events.ConfirmationCeased
		default:
			state = ""
		}
	}
	return state
}
