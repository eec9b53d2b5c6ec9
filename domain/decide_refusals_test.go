package domain_test

import (
	"errors"
	"testing"

	"github.com/wsledger/wsledger/events"
)

const (
	negativeF1 = `{"finding_id":"F1","category":"work_activity","negative":true,"description":"hours not verified"}`
	positiveF9 = `{"finding_id":"F9","category":"documentation","negative":false}`
)

func TestDecideRefuses(t *testing.T) {
	tests := []struct {
		name      string
		setup     []string
		cmd       string
		code      string
		field     string
		fragments []string
	}{
		// Provider.
		{name: "register twice", cmd: admin("RegisterProvider", `"name":"N","region":"r"`),
			code: events.Conflict, field: "provider", fragments: []string{"already registered"}},
		// Roles.
		{name: "auditor may not write", cmd: command("ReceiveClientCall", "csqa_auditor", "aud1", `"concern_id":"K1","client_number":"12345678","summary":"s"`),
			code: events.Forbidden, field: "actor.role", fragments: []string{"csqa_auditor may not ReceiveClientCall", "do not write"}},
		{name: "wsta may not record a file review", cmd: command("RecordFileReview", "wsta", "ws1", `"review_id":"R1","month":"2026-03","case_id":"C1","reviewer_id":"pm1"`),
			code: events.Forbidden, field: "actor.role", fragments: []string{"wsta may not RecordFileReview"}},
		{name: "case manager may not report a caseload", cmd: command("ReportCaseload", "case_manager", "cm1", marchCaseload),
			code: events.Forbidden, field: "actor.role", fragments: []string{"management's"}},
		{name: "case manager may not record a file review", cmd: command("RecordFileReview", "case_manager", "cm2", `"review_id":"R1","month":"2026-03","case_id":"C1","reviewer_id":"sup1"`),
			code: events.Forbidden, field: "actor.role"},
		{name: "management may not register a provider", cmd: pm("RegisterProvider", `"name":"N","region":"r"`),
			code: events.Forbidden, field: "actor.role", fragments: []string{"only an admin"}},
		{name: "case manager may not record a delivered WSTA notice", setup: []string{call("K1"), cm("ResolveConcern", `"concern_id":"K1","clno_date":"2026-03-17","summary":"s","level":"case_manager"`)},
			cmd:  cm("RecordWSTANoticeDelivered", `"concern_id":"K1","message_id":"<n1@wsledger>","to":"WSTA@alaska.gov"`),
			code: events.Forbidden, field: "actor.role", fragments: []string{"case_manager may not RecordWSTANoticeDelivered", "only an admin"}},
		// Header rules.
		{name: "occurred_at in the future", cmd: cm("ReceiveClientCall", `"concern_id":"K1","client_number":"12345678","summary":"s","occurred_at":"2026-03-20T12:06:00"`),
			code: events.Invalid, field: "occurred_at", fragments: []string{"future"}},
		{name: "stale expected_version", setup: []string{call("K1")}, cmd: cm("ReturnClientCall", `"concern_id":"K1","expected_version":1`),
			code: events.Conflict, field: "expected_version", fragments: []string{"expected_version is 1", "version 4"}},
		{name: "expected_version 0 on an existing aggregate", setup: []string{call("K1")}, cmd: cm("ReturnClientCall", `"concern_id":"K1","expected_version":0`),
			code: events.Conflict, field: "expected_version", fragments: []string{"must not exist yet"}},
		// File reviews (due diligence B).
		{name: "review by the file's own case manager", cmd: review("R1", "C3", "sup3", ""),
			code: events.Invalid, field: "reviewer_id", fragments: []string{"sup3", "own case manager"}},
		{name: "review by a case manager of their own file", cmd: review("R1", "C1", "cm1", ""),
			code: events.Invalid, field: "reviewer_id", fragments: []string{"own case manager"}},
		{name: "review by a lateral colleague (supervisor of a supervisor's file)", cmd: review("R1", "C3", "sup2", ""),
			code: events.Invalid, field: "reviewer_id", fragments: []string{"sup2", "lateral colleague", "sup3", "both supervisor"}},
		{name: "review by a lateral colleague (case manager of a case manager's file)", cmd: review("R1", "C1", "cm2", ""),
			code: events.Invalid, field: "reviewer_id", fragments: []string{"lateral colleague", "both case_manager"}},
		{name: "review by someone outside management", cmd: review("R1", "C1", "clerk1", ""),
			code: events.Invalid, field: "reviewer_id", fragments: []string{"clerk1", "not a member of management"}},
		// Seen from outside: a supervisor recorded a review of a case they manage, naming the
		// program manager as reviewer.
		{name: "the recorder is the file's case manager", cmd: command("RecordFileReview", "supervisor", "sup3", `"review_id":"R1","month":"2026-03","case_id":"C3","reviewer_id":"pm1"`),
			code: events.Invalid, field: "actor.staff_id", fragments: []string{"sup3", "own case manager", "B.1"}},
		// Likewise a supervisor recording a review of another supervisor's file, and a member of
		// staff the roster names a case manager recording one of a case manager's file.
		{name: "the recorder is a lateral colleague of the file's case manager", cmd: command("RecordFileReview", "supervisor", "sup2", `"review_id":"R1","month":"2026-03","case_id":"C3","reviewer_id":"pm1"`),
			code: events.Invalid, field: "actor.staff_id", fragments: []string{"sup2", "lateral colleague", "sup3", "both supervisor", "B.1"}},
		{name: "the recorder is a case manager on the roster", cmd: command("RecordFileReview", "supervisor", "cm2", `"review_id":"R1","month":"2026-03","case_id":"C1","reviewer_id":"sup1"`),
			code: events.Invalid, field: "actor.staff_id", fragments: []string{"cm2", "lateral colleague", "cm1", "both case_manager"}},
		{name: "reviewer not on the roster", cmd: review("R1", "C1", "pm9", ""),
			code: events.Invalid, field: "reviewer_id", fragments: []string{"pm9", "not on the staff roster of 2026-03"}},
		{name: "case manager not on the roster",
			setup: []string{pm("ReportCaseload", `"month":"2026-03","cases":[{"case_id":"C1","family_type":"all_family","case_manager_id":"gone1"}]`)},
			cmd:   review("R1", "C1", "pm1", ""), code: events.Invalid, field: "reviewer_id", fragments: []string{"gone1", "cannot be checked"}},
		{name: "no roster for the month",
			setup: []string{pm("ReportCaseload", `"month":"2026-02","cases":[{"case_id":"C1","family_type":"all_family","case_manager_id":"cm1"}]`)},
			cmd:   pm("RecordFileReview", `"review_id":"R1","month":"2026-02","case_id":"C1","reviewer_id":"pm1"`),
			code:  events.NotFound, field: "month", fragments: []string{"No staff roster", "2026-02"}},
		{name: "no caseload for the month", cmd: pm("RecordFileReview", `"review_id":"R1","month":"2026-01","case_id":"C1","reviewer_id":"pm1"`),
			code: events.NotFound, field: "month", fragments: []string{"No caseload", "2026-01"}},
		{name: "case not in the caseload", cmd: review("R1", "C7", "pm1", ""),
			code: events.NotFound, field: "case_id", fragments: []string{"C7", "not in the caseload reported for 2026-03"}},
		{name: "review of a month not yet begun", cmd: pm("RecordFileReview", `"review_id":"R1","month":"2026-04","case_id":"C1","reviewer_id":"pm1"`),
			code: events.Invalid, field: "month", fragments: []string{"before that month began"}},
		{name: "review id reused", setup: []string{review("R1", "C1", "pm1", "")}, cmd: review("R1", "C2", "pm1", ""),
			code: events.Conflict, field: "review_id", fragments: []string{"R1"}},
		{name: "finding id reused", setup: []string{review("R1", "C1", "pm1", negativeF1)}, cmd: review("R2", "C2", "sup1", negativeF1),
			code: events.Conflict, field: "findings[0].finding_id", fragments: []string{"F1", "file review R1"}},
		// Sample.
		{name: "sample without a caseload", cmd: pm("DrawFileReviewSample", `"month":"2026-02","seed":"s"`),
			code: events.NotFound, field: "month", fragments: []string{"No caseload", "2026-02"}},
		{name: "sample drawn twice from one caseload", setup: []string{pm("DrawFileReviewSample", `"month":"2026-03","seed":"s"`)},
			cmd:  pm("DrawFileReviewSample", `"month":"2026-03","seed":"t"`),
			code: events.Conflict, field: "month", fragments: []string{"already been drawn"}},
		{name: "sample without seed or key", cmd: pm("DrawFileReviewSample", `"month":"2026-03"`),
			code: events.Invalid, field: "seed", fragments: []string{"idempotency_key"}},
		// Corrections (C).
		{name: "correction of an unknown finding", cmd: cm("CompleteCorrection", `"finding_id":"F1","note":"n"`),
			code: events.NotFound, field: "finding_id", fragments: []string{"F1"}},
		{name: "correction of a positive finding", setup: []string{review("R1", "C1", "pm1", positiveF9)},
			cmd:  cm("CompleteCorrection", `"finding_id":"F9","note":"n"`),
			code: events.Conflict, field: "finding_id", fragments: []string{"not negative"}},
		{name: "correction twice", setup: []string{review("R1", "C1", "pm1", negativeF1), cm("CompleteCorrection", `"finding_id":"F1","note":"n"`)},
			cmd:  cm("CompleteCorrection", `"finding_id":"F1","note":"again"`),
			code: events.Conflict, field: "finding_id", fragments: []string{"already been corrected"}},
		// WSQR (D).
		{name: "WSQR recorded twice", setup: []string{wsqr("W1", "", 9, 10)}, cmd: wsqr("W1", "", 9, 10),
			code: events.Conflict, field: "wsqr_id"},
		{name: "WSQR response due before receipt", cmd: pm("ReceiveWSQRFindings", `"wsqr_id":"W1","period":"2026-Q1","response_due":"2026-03-19","work_verification":{"correct":1,"reviewed":1}`),
			code: events.Invalid, field: "response_due", fragments: []string{"before the findings were received on 2026-03-20"}},
		{name: "WSQR response lacking plans names every missing finding",
			setup: []string{wsqr("W1", `{"finding_id":"W1-1","category":"a","negative":true},{"finding_id":"W1-2","category":"b","negative":true},`+
				`{"finding_id":"W1-3","category":"c","negative":false},{"finding_id":"W1-4","category":"d","negative":true}`, 9, 10)},
			cmd:  pm("SubmitWSQRResponse", `"wsqr_id":"W1","plans":[{"finding_id":"W1-2","plan":"retrain"}],"best_practice":"peer checks"`),
			code: events.Invalid, field: "plans", fragments: []string{"plan for every negative finding", "W1-1, W1-4"}},
		{name: "WSQR plan for a finding of another review", setup: []string{wsqr("W1", "", 9, 10)},
			cmd:  pm("SubmitWSQRResponse", `"wsqr_id":"W1","plans":[{"finding_id":"F1","plan":"p"}],"best_practice":"b"`),
			code: events.Invalid, field: "plans[0].finding_id", fragments: []string{"not a finding of WSQR W1"}},
		{name: "response to an unknown WSQR", cmd: pm("SubmitWSQRResponse", `"wsqr_id":"W1","plans":[],"best_practice":"b"`),
			code: events.NotFound, field: "wsqr_id"},
		{name: "WSQR response twice", setup: []string{wsqr("W1", "", 9, 10), pm("SubmitWSQRResponse", `"wsqr_id":"W1","plans":[],"best_practice":"b"`)},
			cmd:  pm("SubmitWSQRResponse", `"wsqr_id":"W1","plans":[],"best_practice":"b"`),
			code: events.Conflict, field: "wsqr_id", fragments: []string{"already been submitted"}},
		{name: "confirmation naming an unknown WSQR", cmd: command("ConfirmPerformanceConfirmation", "wsta", "ws1", `"state":"started","wsqr_id":"W7"`),
			code: events.NotFound, field: "wsqr_id"},
		// Concerns (E).
		{name: "call recorded twice", setup: []string{call("K1")}, cmd: call("K1"), code: events.Conflict, field: "concern_id"},
		// A concern WSTA referred may be recorded by the provider only while nothing has
		// happened to it; once resolved, declared unresolved or forwarded, a new record would
		// erase that history.
		{name: "recording a referred concern already resolved",
			setup: []string{referral("K9"), cm("ResolveConcern", `"concern_id":"K9","clno_date":"2026-03-17","summary":"s","level":"supervisor","client_number":"12345678"`)},
			cmd:   cm("ReceiveConcern", `"concern_id":"K9","client_number":"12345678","summary":"s","channel":"wsta_referral"`),
			code:  events.Conflict, field: "concern_id", fragments: []string{"K9", "already been resolved"}},
		{name: "recording a call on a referred concern declared unresolved",
			setup: []string{referral("K9"), cm("DeclareConcernUnresolved", `"concern_id":"K9","reason":"r"`)},
			cmd:   call("K9"), code: events.Conflict, field: "concern_id", fragments: []string{"K9", "already been declared unresolved"}},
		{name: "recording a referred concern already forwarded",
			setup: []string{referral("K9"), cm("ForwardConcernToWSTA", `"concern_id":"K9","reason":"r","client_number":"12345678"`)},
			cmd:   cm("ReceiveConcern", `"concern_id":"K9","client_number":"12345678","summary":"s","channel":"email"`),
			code:  events.Conflict, field: "concern_id", fragments: []string{"K9", "already been forwarded"}},
		{name: "returning a call for an unknown concern", cmd: cm("ReturnClientCall", `"concern_id":"K1"`),
			code: events.NotFound, field: "concern_id", fragments: []string{"K1", "no client call opened it"}},
		{name: "returning a call twice", setup: []string{call("K1"), cm("ReturnClientCall", `"concern_id":"K1"`)},
			cmd: cm("ReturnClientCall", `"concern_id":"K1"`), code: events.Conflict, field: "concern_id"},
		{name: "resolving an unknown concern", cmd: cm("ResolveConcern", `"concern_id":"K1","clno_date":"2026-03-17","summary":"s","level":"case_manager"`),
			code: events.NotFound, field: "concern_id"},
		{name: "resolving twice", setup: []string{call("K1"), cm("ResolveConcern", `"concern_id":"K1","clno_date":"2026-03-17","summary":"s","level":"case_manager"`)},
			cmd:  cm("ResolveConcern", `"concern_id":"K1","clno_date":"2026-03-18","summary":"s","level":"supervisor"`),
			code: events.Conflict, field: "concern_id", fragments: []string{"already been resolved"}},
		{name: "CLNO date before the call", setup: []string{call("K1")},
			cmd:  cm("ResolveConcern", `"concern_id":"K1","clno_date":"2026-03-15","summary":"s","level":"case_manager"`),
			code: events.Invalid, field: "clno_date", fragments: []string{"before the concern was received on 2026-03-16"}},
		{name: "CLNO date after the resolution", setup: []string{call("K1")},
			cmd:  cm("ResolveConcern", `"concern_id":"K1","clno_date":"2026-03-19","summary":"s","level":"case_manager","occurred_at":"2026-03-18T10:00:00"`),
			code: events.Invalid, field: "clno_date", fragments: []string{"after the resolution"}},
		{name: "declaring unresolved twice", setup: []string{call("K1"), cm("DeclareConcernUnresolved", `"concern_id":"K1","reason":"r"`)},
			cmd: cm("DeclareConcernUnresolved", `"concern_id":"K1","reason":"r"`), code: events.Conflict, field: "concern_id"},
		{name: "forwarding a resolved concern", setup: []string{call("K1"), cm("ResolveConcern", `"concern_id":"K1","clno_date":"2026-03-17","summary":"s","level":"case_manager"`)},
			cmd: cm("ForwardConcernToWSTA", `"concern_id":"K1","reason":"r"`), code: events.Conflict, field: "concern_id"},
		{name: "forwarding twice", setup: []string{call("K1"), cm("ForwardConcernToWSTA", `"concern_id":"K1","reason":"r"`)},
			cmd: cm("ForwardConcernToWSTA", `"concern_id":"K1","reason":"r"`), code: events.Conflict, field: "concern_id", fragments: []string{"already been forwarded"}},
		{name: "implementing an unknown recommendation", cmd: cm("ImplementWSTARecommendation", `"recommendation_id":"REC1"`),
			code: events.NotFound, field: "recommendation_id", fragments: []string{"REC1"}},
		{name: "implementing twice",
			setup: []string{cm("ReceiveWSTARecommendation", `"concern_id":"K1","recommendation_id":"REC1","recommendations":["r"]`), cm("ImplementWSTARecommendation", `"recommendation_id":"REC1"`)},
			cmd:   cm("ImplementWSTARecommendation", `"recommendation_id":"REC1"`), code: events.Conflict, field: "recommendation_id"},
		// Emergencies (I) and changes (J).
		{name: "seeing an unknown emergency", cmd: cm("SeeEmergencyClient", `"emergency_id":"E1"`),
			code: events.NotFound, field: "emergency_id", fragments: []string{"Emergency E1 is not known"}},
		{name: "seeing an emergency client twice",
			setup: []string{cm("DiscloseEmergency", `"emergency_id":"E1","client_number":"12345678","track":"work_first"`), cm("SeeEmergencyClient", `"emergency_id":"E1"`)},
			cmd:   cm("SeeEmergencyClient", `"emergency_id":"E1"`), code: events.Conflict, field: "emergency_id", fragments: []string{"the client was seen"}},
		{name: "reporting an unknown change", cmd: cm("ReportCircumstanceChange", `"change_id":"X1"`), code: events.NotFound, field: "change_id"},
		{name: "reporting a change twice",
			setup: []string{cm("LearnCircumstanceChange", `"change_id":"X1","client_number":"12345678","description":"d"`), cm("ReportCircumstanceChange", `"change_id":"X1"`)},
			cmd:   cm("ReportCircumstanceChange", `"change_id":"X1"`), code: events.Conflict, field: "change_id"},
		// DPA reports (1015).
		{name: "responding to an unknown report", cmd: pm("RespondToDPAReport", `"report_id":"D1","items":[{"case_id":"C1","action":"verified"}]`),
			code: events.NotFound, field: "report_id"},
		{name: "responding to a report that calls for none",
			setup: []string{pm("ReceiveDPAReport", `"report_id":"D1","kind":"penalty","period":"2026-02"`)},
			cmd:   pm("RespondToDPAReport", `"report_id":"D1","items":[{"case_id":"C1","action":"verified"}]`),
			code:  events.Invalid, field: "report_id", fragments: []string{"penalty", "calls for no response"}},
		{name: "response lacking selected cases",
			setup: []string{pm("ReceiveDPAReport", `"report_id":"D1","kind":"participant_list","period":"2026-02","selected_cases":["C1","C2","C3"]`)},
			cmd:   pm("RespondToDPAReport", `"report_id":"D1","items":[{"case_id":"C2","action":"confirmed"}]`),
			code:  events.Invalid, field: "items", fragments: []string{"lacks C1, C3"}},
		{name: "response for a case not selected",
			setup: []string{pm("ReceiveDPAReport", `"report_id":"D1","kind":"participant_list","period":"2026-02","selected_cases":["C1"]`)},
			cmd:   pm("RespondToDPAReport", `"report_id":"D1","items":[{"case_id":"C1","action":"confirmed"},{"case_id":"C9","action":"confirmed"}]`),
			code:  events.Invalid, field: "items[1].case_id", fragments: []string{"C9"}},
		{name: "responding twice",
			setup: []string{pm("ReceiveDPAReport", `"report_id":"D1","kind":"inconsistent_data","period":"2026-02"`),
				pm("RespondToDPAReport", `"report_id":"D1","items":[{"case_id":"C1","action":"verified"}]`)},
			cmd:  pm("RespondToDPAReport", `"report_id":"D1","items":[{"case_id":"C1","action":"verified"}]`),
			code: events.Conflict, field: "report_id"},
		{name: "DPA report of a month not yet begun", cmd: pm("ReceiveDPAReport", `"report_id":"D1","kind":"participant_list","period":"2026-04","selected_cases":["C1"]`),
			code: events.Invalid, field: "period", fragments: []string{"before that period began on 2026-04-01"}},
		{name: "WSQR of a quarter not yet begun", cmd: pm("ReceiveWSQRFindings", `"wsqr_id":"W9","period":"2026-Q2","findings":[],"work_verification":{"correct":9,"reviewed":10}`),
			code: events.Invalid, field: "period", fragments: []string{"before that period began on 2026-04-01"}},
		{name: "WSQR of a year not yet begun", cmd: pm("ReceiveWSQRFindings", `"wsqr_id":"W9","period":"2027","findings":[],"work_verification":{"correct":9,"reviewed":10}`),
			code: events.Invalid, field: "period", fragments: []string{"2027-01-01"}},
		{name: "report distributed after it was received", cmd: pm("ReceiveDPAReport", `"report_id":"D1","kind":"inconsistent_data","period":"2026-02","distributed_on":"2026-03-21"`),
			code: events.Invalid, field: "distributed_on"},
		{name: "invoice before the month ends", cmd: pm("SubmitReport", `"kind":"performance_invoice","period":"2026-03","documents":[{"name":"i.pdf"}]`),
			code: events.Invalid, field: "period", fragments: []string{"before the period ends on 2026-03-31"}},
		{name: "QCIP before the quarter ends", cmd: pm("SubmitReport", `"kind":"qcip","period":"2026-Q1","documents":[{"name":"q.pdf"}]`),
			code: events.Invalid, field: "period", fragments: []string{"2026-03-31"}},
		{name: "measures of a month not yet ended", cmd: pm("PostPerformanceMeasures", `"period":"2026-03","measures":[{"measure":"m1","numerator":1,"denominator":2}]`),
			code: events.Invalid, field: "period", fragments: []string{"performance measures for 2026-03", "before the period ends on 2026-03-31"}},
		{name: "measures of a month not yet begun", cmd: pm("PostPerformanceMeasures", `"period":"2026-05","measures":[{"measure":"m1","numerator":1,"denominator":2}]`),
			code: events.Invalid, field: "period", fragments: []string{"before the period ends on 2026-05-31"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := fixture(t)
			for _, s := range tt.setup {
				l.do(s)
			}
			before := len(l.events)
			_, err := l.try(tt.cmd)
			wantRefusal(t, err, tt.code, tt.field, tt.fragments...)
			if len(l.events) != before {
				t.Errorf("a refused command appended %d events", len(l.events)-before)
			}
		})
	}
}

func TestDecideRefusesBeforeRegistration(t *testing.T) {
	l := newTestLedger(t, fixtureNow)
	_, err := l.try(call("K1"))
	wantRefusal(t, err, events.NotFound, "provider", "north-star is not registered")
}

func TestDecideReportsCurrentVersionOnConflict(t *testing.T) {
	l := fixture(t)
	l.do(call("K1"))
	_, err := l.try(cm("ReturnClientCall", `"concern_id":"K1","expected_version":3`))
	var e *events.Error
	if !errors.As(err, &e) || e.Current != 4 {
		t.Fatalf("err = %#v, want a conflict with Current 4", err)
	}
	if _, err := l.try(cm("ReturnClientCall", `"concern_id":"K1","expected_version":4`)); err != nil {
		t.Fatalf("the right expected_version was refused: %v", err)
	}
}
