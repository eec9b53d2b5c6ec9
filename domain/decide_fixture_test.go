package domain_test

import (
	"strconv"
	"testing"
	"time"
)

// fixtureNow is Friday 20 March 2026, noon in Anchorage (AKDT, UTC-8).
var fixtureNow = time.Date(2026, 3, 20, 20, 0, 0, 0, time.UTC)

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

// referral is WSTA's recommendations on a concern the provider never recorded (E.4).
func referral(concern string) string {
	return cm("ReceiveWSTARecommendation", `"concern_id":"`+concern+`","recommendation_id":"REC-`+concern+`","recommendations":["call the client"],"occurred_at":"2026-03-16T09:00:00"`)
}

func wsqr(id, findings string, correct, reviewed int) string {
	return pm("ReceiveWSQRFindings", `"wsqr_id":"`+id+`","period":"2026-Q1","response_due":"2026-04-15","findings":[`+findings+
		`],"work_verification":{"correct":`+strconv.Itoa(correct)+`,"reviewed":`+strconv.Itoa(reviewed)+`}`)
}
