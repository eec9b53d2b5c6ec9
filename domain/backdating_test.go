package domain_test

import (
	"testing"
	"time"

	"github.com/wsledger/wsledger/events"
)

// TestNoBackdating: a command that meets a duty is refused when its occurred_at lies before the
// duty opened, naming both instants; an invoice or QCIP dated before its period ends is refused
// (the last day itself included); a roster only before its month begins.
func TestNoBackdating(t *testing.T) {
	now := time.Date(2025, 12, 15, 20, 0, 0, 0, time.UTC)
	setup := []string{
		admin("RegisterProvider", `"name":"N","region":"r","occurred_at":"2025-09-01T09:00:00"`),
		pm("SubmitStaffRoster", `"month":"2025-11","staff":[{"staff_id":"pm1","name":"P","role":"program_manager"},{"staff_id":"cm1","name":"C","role":"case_manager","supervisor_id":"pm1"}],"occurred_at":"2025-11-03T09:00:00"`),
		pm("ReportCaseload", `"month":"2025-11","cases":[{"case_id":"C1","family_type":"all_family","case_manager_id":"cm1"}],"occurred_at":"2025-11-03T09:00:00"`),
		cm("ReceiveClientCall", `"concern_id":"K1","client_number":"12345678","summary":"s","occurred_at":"2025-11-02T10:00:00"`),
		pm("ReceiveWSQRFindings", `"wsqr_id":"W1","period":"2025-Q3","findings":[{"finding_id":"WF1","category":"c","negative":false}],"work_verification":{"correct":9,"reviewed":10},"occurred_at":"2025-11-06T10:00:00"`),
		pm("RecordFileReview", `"review_id":"R1","month":"2025-11","case_id":"C1","reviewer_id":"pm1","findings":[{"finding_id":"F1","category":"c","negative":true}],"occurred_at":"2025-11-06T10:00:00"`),
		cm("DiscloseEmergency", `"emergency_id":"E1","client_number":"12345678","track":"work_first","occurred_at":"2025-11-06T10:00:00"`),
		cm("ReceiveWSTARecommendation", `"concern_id":"K2","recommendation_id":"REC1","recommendations":["r"],"occurred_at":"2025-11-06T10:00:00"`),
		cm("LearnCircumstanceChange", `"change_id":"X1","client_number":"12345678","description":"d","occurred_at":"2025-11-06T10:00:00"`),
		pm("ReceiveDPAReport", `"report_id":"D1","kind":"inconsistent_data","period":"2025-10","occurred_at":"2025-11-06T10:00:00"`),
		pm("PostPerformanceMeasures", `"period":"2025-10","measures":[{"measure":"m1","numerator":1,"denominator":2}],"occurred_at":"2025-11-24T10:00:00"`),
		cm("ReceiveClientCall", `"concern_id":"K3","client_number":"12345678","summary":"s","occurred_at":"2025-11-02T10:00:00"`),
		cm("DeclareConcernUnresolved", `"concern_id":"K3","reason":"r","occurred_at":"2025-11-10T10:00:00"`),
	}
	tests := []struct {
		name, cmd, field string
		fragments        []string
	}{
		{"call returned before it was received", cm("ReturnClientCall", `"concern_id":"K1","occurred_at":"2025-11-01T10:00:00"`),
			"occurred_at", []string{"2025-11-01T10:00:00-08:00", "2025-11-02T10:00:00-09:00", "call of concern K1"}},
		{"concern resolved before it was received", cm("ResolveConcern", `"concern_id":"K1","clno_date":"2025-11-02","summary":"s","level":"case_manager","occurred_at":"2025-11-02T09:00:00"`),
			"occurred_at", []string{"2025-11-02T09:00:00-09:00", "2025-11-02T10:00:00-09:00"}},
		{"concern declared unresolved before it was received", cm("DeclareConcernUnresolved", `"concern_id":"K1","reason":"r","occurred_at":"2025-11-01T10:00:00"`),
			"occurred_at", []string{"concern K1 was received"}},
		{"forwarded before declared unresolved", cm("ForwardConcernToWSTA", `"concern_id":"K3","reason":"r","occurred_at":"2025-11-09T10:00:00"`),
			"occurred_at", []string{"declared unresolved at 2025-11-10T10:00:00-09:00"}},
		{"WSQR response before the WSQR", pm("SubmitWSQRResponse", `"wsqr_id":"W1","plans":[],"best_practice":"b","occurred_at":"2025-11-01T10:00:00"`),
			"occurred_at", []string{"2025-11-01T10:00:00-08:00", "WSQR W1", "2025-11-06T10:00:00-09:00"}},
		{"correction before the finding", cm("CompleteCorrection", `"finding_id":"F1","note":"n","occurred_at":"2025-10-01T10:00:00"`),
			"occurred_at", []string{"2025-10-01T10:00:00-08:00", "finding F1", "2025-11-06T10:00:00-09:00"}},
		{"emergency client seen before disclosure", cm("SeeEmergencyClient", `"emergency_id":"E1","occurred_at":"2025-11-05T10:00:00"`),
			"occurred_at", []string{"emergency E1 was disclosed"}},
		{"recommendation implemented before receipt", cm("ImplementWSTARecommendation", `"recommendation_id":"REC1","occurred_at":"2025-11-05T10:00:00"`),
			"occurred_at", []string{"WSTA recommendation REC1 was received"}},
		{"change reported before it was learned", cm("ReportCircumstanceChange", `"change_id":"X1","occurred_at":"2025-11-05T10:00:00"`),
			"occurred_at", []string{"change of circumstances X1 was learned"}},
		{"DPA report answered before receipt", pm("RespondToDPAReport", `"report_id":"D1","items":[{"case_id":"C1","action":"verified"}],"occurred_at":"2025-11-05T10:00:00"`),
			"occurred_at", []string{"DPA report D1 was received"}},
		{"October invoice on 31 October", pm("SubmitReport", `"kind":"performance_invoice","period":"2025-10","documents":[{"name":"i.pdf"}],"occurred_at":"2025-10-31T08:00:00"`),
			"period", []string{"before the period ends on 2025-10-31", "2025-11-01T00:00:00-08:00", "2025-10-31T08:00:00-08:00"}},
		{"October invoice in the last second of 31 October, written in UTC", pm("SubmitReport", `"kind":"performance_invoice","period":"2025-10","documents":[{"name":"i.pdf"}],"occurred_at":"2025-11-01T07:59:59Z"`),
			"period", []string{"2025-11-01T00:00:00-08:00", "2025-10-31T23:59:59-08:00"}},
		{"Q3 QCIP on 30 September", pm("SubmitReport", `"kind":"qcip","period":"2025-Q3","documents":[{"name":"q.pdf"}],"occurred_at":"2025-09-30T16:00:00"`),
			"period", []string{"2025-09-30", "2025-10-01T00:00:00-08:00"}},
		{"grievance before the measures were posted", pm("SubmitReport", `"kind":"data_grievance","period":"2025-10","documents":[{"name":"g.pdf"}],"occurred_at":"2025-11-20T10:00:00"`),
			"occurred_at", []string{"performance measures of 2025-10 were posted"}},
		{"roster in the last second before its month, written in UTC", pm("SubmitStaffRoster", `"month":"2025-12","staff":[{"staff_id":"pm1","name":"P","role":"program_manager"}],"occurred_at":"2025-12-01T08:59:59Z"`),
			"occurred_at", []string{"2025-11-30T23:59:59-09:00", "month 2025-12 began at 2025-12-01T00:00:00-09:00"}},
		{"roster before its month", pm("SubmitStaffRoster", `"month":"2025-12","staff":[{"staff_id":"pm1","name":"P","role":"program_manager"}],"occurred_at":"2025-11-28T10:00:00"`),
			"occurred_at", []string{"month 2025-12 began at 2025-12-01T00:00:00-09:00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newTestLedger(t, now)
			for _, s := range setup {
				l.do(s)
			}
			before := len(l.events)
			_, err := l.try(tt.cmd)
			wantRefusal(t, err, events.Invalid, tt.field, tt.fragments...)
			if len(l.events) != before {
				t.Errorf("a refused command appended %d events", len(l.events)-before)
			}
		})
	}
	// The same duties met at or after they opened are accepted; a roster within its own month
	// and an invoice on the first instant after its month are on time.
	l := newTestLedger(t, now)
	for _, s := range setup {
		l.do(s)
	}
	for _, ok := range []string{
		cm("ReturnClientCall", `"concern_id":"K1","occurred_at":"2025-11-02T10:00:00"`),
		cm("CompleteCorrection", `"finding_id":"F1","note":"n","occurred_at":"2025-11-06T10:00:00"`),
		pm("SubmitReport", `"kind":"performance_invoice","period":"2025-10","documents":[{"name":"i.pdf"}],"occurred_at":"2025-11-01T00:00:00"`),
		pm("SubmitStaffRoster", `"month":"2025-12","staff":[{"staff_id":"pm1","name":"P","role":"program_manager"}],"occurred_at":"2025-12-01T00:00:00"`),
	} {
		l.do(ok)
	}
}
