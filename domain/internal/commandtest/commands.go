// Package commandtest holds the JSON commands the tests of package domain and package wire
// share: builders, one valid command of every type, a month's roster and caseload, and a
// check of refusals.
package commandtest

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/wsledger/wsledger/events"
)

// Provider is the provider every test command is for.
const Provider = "north-star"

// ClientNumber is the client number test commands carry; no refusal may repeat it.
const ClientNumber = "12345678"

// Command builds a command's JSON from its type, the actor's role and staff id, and the rest of
// its fields as JSON members (without braces).
func Command(typ, role, staff, fields string) string {
	body := fmt.Sprintf(`"type":%q,"provider":%q,"actor":{"staff_id":%q,"role":%q}`, typ, Provider, staff, role)
	if fields != "" {
		body += "," + fields
	}
	return "{" + body + "}"
}

// Admin, PM and CM build a command sent by the admin ad1, the program manager pm1 or the case
// manager cm1.
func Admin(typ, fields string) string { return Command(typ, "admin", "ad1", fields) }
func PM(typ, fields string) string    { return Command(typ, "program_manager", "pm1", fields) }
func CM(typ, fields string) string    { return Command(typ, "case_manager", "cm1", fields) }

// Valid returns one valid command of every type, as JSON an admin sends.
func Valid() map[string]string {
	c := Admin
	return map[string]string{
		"RegisterProvider":               c("RegisterProvider", `"name":"North Star","region":"southcentral"`),
		"SubmitStaffRoster":              c("SubmitStaffRoster", `"month":"2026-03","staff":[{"staff_id":"pm1","name":"P","role":"program_manager"}]`),
		"ReportCaseload":                 c("ReportCaseload", `"month":"2026-03","cases":[{"case_id":"C1","family_type":"all_family","case_manager_id":"cm1"}]`),
		"DrawFileReviewSample":           c("DrawFileReviewSample", `"month":"2026-03","seed":"s1"`),
		"RecordFileReview":               c("RecordFileReview", `"review_id":"R1","month":"2026-03","case_id":"C1","reviewer_id":"pm1","findings":[]`),
		"CompleteCorrection":             c("CompleteCorrection", `"finding_id":"F1","note":"fixed"`),
		"ReceiveWSQRFindings":            c("ReceiveWSQRFindings", `"wsqr_id":"W1","period":"2026-Q1","response_due":"2026-04-30","findings":[],"work_verification":{"correct":8,"reviewed":10}`),
		"SubmitWSQRResponse":             c("SubmitWSQRResponse", `"wsqr_id":"W1","plans":[],"best_practice":"peer review"`),
		"ConfirmPerformanceConfirmation": c("ConfirmPerformanceConfirmation", `"state":"started"`),
		"ReceiveClientCall":              c("ReceiveClientCall", `"concern_id":"K1","client_number":"12345678","summary":"s"`),
		"ReceiveConcern":                 c("ReceiveConcern", `"concern_id":"K2","client_number":"12345678","summary":"s","channel":"written"`),
		"ReturnClientCall":               c("ReturnClientCall", `"concern_id":"K1"`),
		"ResolveConcern":                 c("ResolveConcern", `"concern_id":"K1","clno_date":"2026-03-02","summary":"s","level":"case_manager"`),
		"RecordWSTANoticeDelivered":      c("RecordWSTANoticeDelivered", `"concern_id":"K1","message_id":"<n1@wsledger>","to":"wsta@example.gov"`),
		"RecordPolicySettings":           c("RecordPolicySettings", `"settings":{"wsta_notice_business_days":2,"forward_concern_business_days":0,"change_report_business_days":5,"grievance_business_days":10,"wsqr_default_response_business_days":20,"due_soon_business_days":2,"late_entry_business_days":1,"clock_skew":"5m0s","statewide_family_mix":[],"closures":[{"date":"2026-12-24","name":"Christmas Eve"}]}`),
		"DeclareConcernUnresolved":       c("DeclareConcernUnresolved", `"concern_id":"K1","reason":"r"`),
		"ForwardConcernToWSTA":           c("ForwardConcernToWSTA", `"concern_id":"K1","reason":"r"`),
		"ReceiveWSTARecommendation":      c("ReceiveWSTARecommendation", `"concern_id":"K1","recommendation_id":"REC1","recommendations":["call back"]`),
		"ImplementWSTARecommendation":    c("ImplementWSTARecommendation", `"recommendation_id":"REC1"`),
		"DiscloseEmergency":              c("DiscloseEmergency", `"emergency_id":"E1","client_number":"12345678","track":"families_first"`),
		"SeeEmergencyClient":             c("SeeEmergencyClient", `"emergency_id":"E1"`),
		"LearnCircumstanceChange":        c("LearnCircumstanceChange", `"change_id":"X1","client_number":"12345678","description":"new job"`),
		"ReportCircumstanceChange":       c("ReportCircumstanceChange", `"change_id":"X1"`),
		"ReceiveDPAReport":               c("ReceiveDPAReport", `"report_id":"D1","kind":"participant_list","period":"2026-02","selected_cases":["C1"]`),
		"RespondToDPAReport":             c("RespondToDPAReport", `"report_id":"D1","items":[{"case_id":"C1","action":"confirmed"}]`),
		"PostPerformanceMeasures":        c("PostPerformanceMeasures", `"period":"2026-02","measures":[{"measure":"m1","numerator":1,"denominator":2}]`),
		"SubmitReport":                   c("SubmitReport", `"kind":"performance_invoice","period":"2026-02","documents":[{"name":"invoice.pdf"}]`),
	}
}

// MarchRoster and MarchCaseload are the fields of the roster and caseload of March 2026: pm1 runs the program; sup1, sup2 and sup3 supervise (sup3 also carries a case);
// cm1 and cm2 are case managers; clerk1 is other staff.
const MarchRoster = `"month":"2026-03","staff":[
	{"staff_id":"pm1","name":"Pat","role":"program_manager"},
	{"staff_id":"sup1","name":"Sam","role":"supervisor","supervisor_id":"pm1"},
	{"staff_id":"sup2","name":"Sky","role":"supervisor","supervisor_id":"pm1"},
	{"staff_id":"sup3","name":"Sol","role":"supervisor","supervisor_id":"pm1"},
	{"staff_id":"cm1","name":"Cas","role":"case_manager","supervisor_id":"sup1"},
	{"staff_id":"cm2","name":"Cam","role":"case_manager","supervisor_id":"sup2"},
	{"staff_id":"clerk1","name":"Cle","role":"other"}]`

const MarchCaseload = `"month":"2026-03","cases":[
	{"case_id":"C1","family_type":"all_family","case_manager_id":"cm1"},
	{"case_id":"C2","family_type":"two_parent","case_manager_id":"cm2"},
	{"case_id":"C3","family_type":"all_family","case_manager_id":"sup3"}]`

// Typical are the commands the write path's benchmarks measure: a file review with one finding
// and a client call, written as clients send them (idempotency key, local occurred_at).
var Typical = []struct{ Name, JSON string }{
	{"RecordFileReview", `{"type":"RecordFileReview","provider":"north-star","idempotency_key":"RecordFileReview-17-3",` +
		`"actor":{"staff_id":"pm1","role":"program_manager"},"occurred_at":"2026-03-16T10:00:00",` +
		`"review_id":"R17","month":"2026-03","case_id":"C2","reviewer_id":"pm1","findings":[{"finding_id":"F17",` +
		`"category":"work_verification","negative":true,"description":"hours for week 2 entered without verification"}]}`},
	{"ReceiveClientCall", `{"type":"ReceiveClientCall","provider":"north-star","idempotency_key":"ReceiveClientCall-17-0",` +
		`"actor":{"staff_id":"cm1","role":"case_manager"},"occurred_at":"2026-03-16T10:00:00",` +
		`"concern_id":"Q17","client_number":"12345678","summary":"benefit amount questioned"}`},
}

// WantRefusal checks that err is an *events.Error with the code and field, whose message
// contains every fragment.
func WantRefusal(t *testing.T, err error, code, field string, fragments ...string) {
	t.Helper()
	var e *events.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want an *events.Error %s on %s", err, code, field)
	}
	if e.Code != code || e.Field != field {
		t.Fatalf("got %s on %q (%s), want %s on %q", e.Code, e.Field, e.Message, code, field)
	}
	for _, f := range fragments {
		if !strings.Contains(e.Message, f) {
			t.Errorf("message %q lacks %q", e.Message, f)
		}
	}
	if strings.Contains(e.Error(), ClientNumber) {
		t.Errorf("the refusal repeats a client number: %v", e)
	}
	if !strings.HasSuffix(e.Message, ".") {
		t.Errorf("message %q does not end a sentence", e.Message)
	}
}
