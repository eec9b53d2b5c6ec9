package domain_test

import (
	"testing"
	"time"

	"github.com/wsledger/wsledger/domain"
)

// bookOf applies every event of a test ledger to a new book.
func bookOf(t *testing.T, l *testLedger) *domain.Book {
	t.Helper()
	b := domain.NewBook(testProvider, l.policy)
	for _, e := range l.events {
		if err := b.Apply(e); err != nil {
			t.Fatal(err)
		}
	}
	return b
}

func findObligation(obs []domain.Obligation, id string) (domain.Obligation, bool) {
	for _, o := range obs {
		if o.ID == id {
			return o, true
		}
	}
	return domain.Obligation{}, false
}

func occurred(s string) string { return `"occurred_at":"` + s + `"` }

// withOccurred adds occurred_at to a command's JSON.
func withOccurred(js, when string) string { return js[:len(js)-1] + "," + occurred(when) + "}" }

// deadlineFixture is a ledger with an obligation of every kind, now in 2028.
func deadlineFixture(t *testing.T) *testLedger {
	l := fixture(t)
	l.now = mustTime("2028-03-15T12:00:00")
	for _, js := range []string{
		cm("ReceiveClientCall", `"concern_id":"K-JUL","client_number":"12345678","summary":"s",`+occurred("2026-07-02T10:00:00")),
		cm("ResolveConcern", `"concern_id":"K-JUL","clno_date":"2026-07-10","summary":"s","level":"case_manager",`+occurred("2026-07-10T15:00:00")),
		cm("ReceiveClientCall", `"concern_id":"K2","client_number":"12345678","summary":"s",`+occurred("2026-03-16T10:00:00")),
		cm("DeclareConcernUnresolved", `"concern_id":"K2","reason":"r",`+occurred("2026-03-18T15:00:00")),
		pm("RecordFileReview", `"review_id":"R1","month":"2026-03","case_id":"C1","reviewer_id":"pm1","findings":[`+negativeF1+`],`+occurred("2026-03-20T10:00:00")),
		cm("DiscloseEmergency", `"emergency_id":"E-DST","client_number":"12345678","track":"work_first",`+occurred("2026-03-07T10:00:00")),
		cm("ReceiveWSTARecommendation", `"concern_id":"K9","recommendation_id":"REC1","recommendations":["r"],`+occurred("2026-03-10T16:30:00")),
		cm("LearnCircumstanceChange", `"change_id":"X-THX","client_number":"12345678","description":"d",`+occurred("2026-11-25T09:00:00")),
		pm("ReceiveDPAReport", `"report_id":"D-INC","kind":"inconsistent_data","period":"2026-02","distributed_on":"2026-03-02",`+occurred("2026-03-04T09:00:00")),
		pm("ReceiveDPAReport", `"report_id":"D-PL","kind":"participant_list","period":"2026-02",`+occurred("2026-03-25T09:00:00")),
		pm("ReceiveWSQRFindings", `"wsqr_id":"W1","period":"2026-Q1","response_due":"2026-04-15","work_verification":{"correct":9,"reviewed":10},`+occurred("2026-03-20T10:00:00")),
		pm("PostPerformanceMeasures", `"period":"2026-02","measures":[{"measure":"m1","numerator":1,"denominator":2}],`+occurred("2026-03-25T09:00:00")),
		pm("SubmitReport", `"kind":"data_grievance","period":"2026-02","documents":[{"name":"g.pdf"}],`+occurred("2026-04-01T09:00:00")),
	} {
		l.do(js)
	}
	return l
}

func TestObligationDeadlines(t *testing.T) {
	l := deadlineFixture(t)
	obs := bookOf(t, l).Obligations(l.now)
	tests := []struct{ id, due, why string }{
		{"call_return:K-JUL", "2026-07-07T00:00:00-08:00", "Thursday 2 July + 1 business day: Independence Day (Saturday) is observed Friday 3 July"},
		{"wsta_concern_notice:K-JUL", "2026-07-14T00:00:00-08:00", "resolved Friday 10 July + 1 business day"},
		{"concern_forward:K2", "2026-03-19T00:00:00-08:00", "declared unresolved on 18 March; forwarded the same day"},
		{"correction:F1", "2026-04-07T00:00:00-08:00", "Friday 20 March + 10 business days, skipping Seward's Day (30 March)"},
		{"emergency_visit:E-DST", "2026-03-09T11:00:00-08:00", "48 clock hours across the change to daylight time on 8 March"},
		{"wsta_recommendation:REC1", "2026-03-11T16:30:00-08:00", "24 clock hours"},
		{"change_report:X-THX", "2026-12-04T00:00:00-09:00", "Wednesday 25 November + 5 business days, skipping Thanksgiving"},
		{"inconsistent_data_response:D-INC", "2026-03-17T00:00:00-08:00", "10 business days from distribution (2 March), not receipt"},
		{"participant_list_response:D-PL", "2026-04-10T00:00:00-08:00", "10 business days from receipt, skipping Seward's Day"},
		{"wsqr_response:W1", "2026-04-16T00:00:00-08:00", "the agreed date"},
		{"data_grievance:2026-02", "2026-04-10T00:00:00-08:00", "10 business days from posting (policy setting)"},
		{"performance_invoice:2026-01", "2026-03-01T00:00:00-09:00", "no 30 February: the last day of February"},
		{"performance_invoice:2027-01", "2027-03-01T00:00:00-09:00", "28 February 2027"},
		{"performance_invoice:2028-01", "2028-03-01T00:00:00-09:00", "29 February 2028, a leap year"},
		{"performance_invoice:2026-03", "2026-05-01T00:00:00-08:00", "30 April"},
		{"qcip:2026-Q1", "2026-05-01T00:00:00-08:00", "30 April, the month after the quarter"},
		{"qcip:2026-Q4", "2027-01-31T00:00:00-09:00", "30 January of the next year"},
		{"staff_roster:2026-05", "2026-05-30T00:00:00-08:00", "Friday 29 May: the month ends on a weekend"},
		{"staff_roster:2027-12", "2027-12-31T00:00:00-09:00", "Thursday 30 December: New Year's Day 2028 (Saturday) is observed Friday 31 December"},
		{"monthly_file_review:2026-02", "2026-03-01T00:00:00-09:00", "month end"},
		{"monthly_file_review:2028-02", "2028-03-01T00:00:00-09:00", "month end in a leap year"},
	}
	for _, tt := range tests {
		o, ok := findObligation(obs, tt.id)
		if !ok {
			t.Errorf("%s: missing", tt.id)
			continue
		}
		if got := o.Due.In(domain.Anchorage).Format(time.RFC3339); got != tt.due {
			t.Errorf("%s: due %s, want %s (%s)", tt.id, got, tt.due, tt.why)
		}
	}
}

func TestObligationsSpanRegistrationToNow(t *testing.T) {
	l := fixture(t) // registered 5 January 2026; now 20 March 2026
	obs := bookOf(t, l).Obligations(l.now)
	count := map[string]int{}
	for _, o := range obs {
		count[o.Kind]++
	}
	want := map[string]int{
		domain.ObligationFileReview:         3, // January to March
		domain.ObligationStaffRoster:        3,
		domain.ObligationPerformanceInvoice: 2, // January and February have ended
	}
	for kind, n := range want {
		if count[kind] != n {
			t.Errorf("%d %s obligations, want %d", count[kind], kind, n)
		}
	}
	if count[domain.ObligationQCIP] != 0 {
		t.Errorf("a QCIP is listed before its quarter ended")
	}
	for i := 1; i < len(obs); i++ {
		a, b := obs[i-1], obs[i]
		if a.Due.After(b.Due) || a.Due.Equal(b.Due) && a.ID >= b.ID {
			t.Errorf("not sorted by due then id: %s before %s", a.ID, b.ID)
		}
	}
	// The registration month's duties open at the month's start, as every month's do: a roster or
	// review of that month dated before the registration meets a duty that was open.
	for _, id := range []string{"monthly_file_review:2026-01", "staff_roster:2026-01"} {
		if o, _ := findObligation(obs, id); !o.OpenedAt.Equal(mustTime("2026-01-01T00:00:00")) {
			t.Errorf("%s opened at %v, want the month's start", id, o.OpenedAt)
		}
	}
}

// TestRegistrationMonthDutyMetBeforeRegistration: a provider registered on 10 March enters the
// roster it sent on 3 March; the March roster duty, open since 1 March, is met on time, never
// met before it opened.
func TestRegistrationMonthDutyMetBeforeRegistration(t *testing.T) {
	l := newTestLedger(t, mustTime("2025-03-20T12:00:00"))
	l.do(admin("RegisterProvider", `"name":"N","region":"r","occurred_at":"2025-03-10T09:00:00"`))
	l.do(pm("SubmitStaffRoster", `"month":"2025-03","staff":[{"staff_id":"pm1","name":"P","role":"program_manager"}],"occurred_at":"2025-03-03T09:00:00"`))
	o, ok := findObligation(bookOf(t, l).Obligations(l.now), "staff_roster:2025-03")
	if !ok {
		t.Fatal("no March roster duty")
	}
	if !o.OpenedAt.Equal(mustTime("2025-03-01T00:00:00")) || !o.MetAt.Equal(mustTime("2025-03-03T09:00:00")) || o.MetAt.Before(o.OpenedAt) {
		t.Errorf("March roster opened %v, met %v: want opened at the month's start, met on 3 March", o.OpenedAt, o.MetAt)
	}
}

func TestObligationsBeforeRegistration(t *testing.T) {
	if obs := domain.NewBook(testProvider, domain.DefaultPolicy()).Obligations(fixtureNow); obs != nil {
		t.Errorf("an unregistered provider has obligations: %v", obs)
	}
}
