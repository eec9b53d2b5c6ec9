package domain

import (
	"strconv"
	"testing"
	"time"
)

// fixtureNow is Friday 20 March 2026, noon in Anchorage (AKDT, UTC-8).
var fixtureNow = time.Date(2026, 3, 20, 20, 0, 0, 0, time.UTC)

func admin(typ, fields string) string { return command(typ, "admin", "ad1", fields) }
func pm(typ, fields string) string    { return command(typ, "program_manager", "pm1", fields) }
func cm(typ, fields string) string    { return command(typ, "case_manager", "cm1", fields) }

// marchRoster: pm1 runs the program; sup1, sup2 and sup3 supervise (sup3 also carries a case);
// cm1 and cm2 are case managers; clerk1 is other staff.
const marchRoster = `"month":"2026-03","staff":[
	{"staff_id":"pm1","name":"Pat","role":"program_manager"},
	{"staff_id":"sup1","name":"Sam","role":"supervisor","supervisor_id":"pm1"},
	{"staff_id":"sup2","name":"Sky","role":"supervisor","supervisor_id":"pm1"},
	{"staff_id":"sup3","name":"Sol","role":"supervisor","supervisor_id":"pm1"},
	{"staff_id":"cm1","name":"Cas","role":"case_manager","supervisor_id":"sup1"},
	{"staff_id":"cm2","name":"Cam","role":"case_manager","supervisor_id":"sup2"},
	{"staff_id":"clerk1","name":"Cle","role":"other"}]`

const marchCaseload = `"month":"2026-03","cases":[
	{"case_id":"C1","family_type":"all_family","case_manager_id":"cm1"},
	{"case_id":"C2","family_type":"two_parent","case_manager_id":"cm2"},
	{"case_id":"C3","family_type":"all_family","case_manager_id":"sup3"}]`

// fixture returns a ledger with the provider registered on 5 January 2026 and the roster and
// caseload of March 2026.
func fixture(t *testing.T) *testLedger {
	t.Helper()
	l := newTestLedger(t, fixtureNow)
	l.do(admin("RegisterProvider", `"name":"North Star","region":"southcentral","occurred_at":"2026-01-05T09:00:00"`))
	l.do(pm("SubmitStaffRoster", marchRoster+`,"occurred_at":"2026-03-02T09:00:00"`))
	l.do(pm("ReportCaseload", marchCaseload+`,"occurred_at":"2026-03-02T09:00:00"`))
	return l
}

// review returns a RecordFileReview of a March case by a reviewer, with findings JSON.
func review(id, caseID, reviewer, findings string) string {
	return pm("RecordFileReview", `"review_id":"`+id+`","month":"2026-03","case_id":"`+caseID+
		`","reviewer_id":"`+reviewer+`","findings":[`+findings+`]`)
}

func call(concern string) string {
	return cm("ReceiveClientCall", `"concern_id":"`+concern+`","client_number":"`+testClientNumber+`","summary":"benefit late","occurred_at":"2026-03-16T10:00:00"`)
}

func wsqr(id, findings string, correct, reviewed int) string {
	return pm("ReceiveWSQRFindings", `"wsqr_id":"`+id+`","period":"2026-Q1","response_due":"2026-04-15","findings":[`+findings+
		`],"work_verification":{"correct":`+strconv.Itoa(correct)+`,"reviewed":`+strconv.Itoa(reviewed)+`}`)
}
