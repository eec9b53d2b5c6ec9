package domain_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/domain/wire"
	"github.com/wsledger/wsledger/events"
)

// payloadOf decodes the single event a command appended.
func payloadOf[T any](t *testing.T, out []events.Envelope) T {
	t.Helper()
	if len(out) != 1 {
		t.Fatalf("%d events, want 1", len(out))
	}
	v, err := events.Decode(out[0])
	if err != nil {
		t.Fatal(err)
	}
	p, ok := v.(T)
	if !ok {
		t.Fatalf("payload is %T", v)
	}
	return p
}

func TestDecideFileReviewRecordsIndependence(t *testing.T) {
	tests := []struct {
		name, caseID, reviewer, wantRole string
	}{
		{"supervisor reviews a case manager's file", "C1", "sup2", "supervisor"},
		{"the case manager's own supervisor reviews", "C1", "sup1", "supervisor"},
		{"program manager reviews a supervisor's file", "C3", "pm1", "program_manager"},
		{"program manager reviews a case manager's file", "C2", "pm1", "program_manager"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := fixture(t)
			p := payloadOf[events.FileReviewRecorded](t, l.do(review("R1", tt.caseID, tt.reviewer, negativeF1)))
			if p.ReviewerRole != tt.wantRole || p.CaseID != tt.caseID || len(p.Findings) != 1 {
				t.Errorf("payload = %+v", p)
			}
		})
	}
}

func TestDecideFileReviewUsesTheLatestRoster(t *testing.T) {
	l := fixture(t)
	if _, err := l.try(review("R1", "C3", "sup2", "")); err == nil {
		t.Fatal("a lateral colleague was accepted")
	}
	// sup2 is promoted to program manager in a re-submitted March roster.
	l.do(pm("SubmitStaffRoster", `"month":"2026-03","staff":[
		{"staff_id":"sup2","name":"Sky","role":"program_manager"},
		{"staff_id":"sup3","name":"Sol","role":"supervisor","supervisor_id":"sup2"}]`))
	p := payloadOf[events.FileReviewRecorded](t, l.do(review("R1", "C3", "sup2", "")))
	if p.ReviewerRole != "program_manager" || p.CaseManagerID != "sup3" {
		t.Errorf("payload = %+v", p)
	}
}

func TestDecideDrawsAReproducibleSample(t *testing.T) {
	l := fixture(t)
	cases := `"month":"2026-03","cases":[`
	for i := range 11 {
		if i > 0 {
			cases += ","
		}
		cases += `{"case_id":"K` + string(rune('a'+i)) + `","family_type":"all_family","case_manager_id":"cm1"}`
	}
	l.do(pm("ReportCaseload", cases+"]"))
	drawn := payloadOf[events.FileReviewSampleDrawn](t, l.do(pm("DrawFileReviewSample", `"month":"2026-03","idempotency_key":"draw-1"`)))
	if drawn.CaseloadSize != 11 || drawn.SampleSize != 2 || len(drawn.CaseIDs) != 2 || !drawn.SeedDerived || drawn.Seed == "" {
		t.Fatalf("sample = %+v, want 2 of 11 (ceil 10%%) with a derived seed", drawn)
	}
	// Another command with the same key derives the same seed; another key another seed.
	if again := domain.DerivedSeed(testProvider, "2026-03", "draw-1"); again != drawn.Seed {
		t.Errorf("seed not stable: %s vs %s", again, drawn.Seed)
	}
	if other := domain.DerivedSeed(testProvider, "2026-03", "draw-2"); other == drawn.Seed {
		t.Error("different keys derived the same seed")
	}
	// An auditor redraws the recorded sample from the recorded seed.
	ids := []string{"Ka", "Kb", "Kc", "Kd", "Ke", "Kf", "Kg", "Kh", "Ki", "Kj", "Kk"}
	if redraw := domain.DrawSample(drawn.Seed, ids, drawn.SampleSize); !slices.Equal(redraw, drawn.CaseIDs) {
		t.Errorf("redraw %v differs from the recorded %v", redraw, drawn.CaseIDs)
	}
	// A re-reported caseload may be drawn again; a given seed is recorded as given.
	l.do(pm("ReportCaseload", marchCaseload))
	again := payloadOf[events.FileReviewSampleDrawn](t, l.do(pm("DrawFileReviewSample", `"month":"2026-03","seed":"audit-seed"`)))
	if again.Seed != "audit-seed" || again.SeedDerived || again.SampleSize != 1 {
		t.Errorf("redraw = %+v", again)
	}
}

func TestDecideWSQRComputesPerformanceConfirmation(t *testing.T) {
	// One provider's WSQRs in order: enter at <= 79%, leave only at >= 80%.
	steps := []struct {
		correct, reviewed       int
		accuracy                string
		before, required, agree bool
	}{
		{80, 100, "0.8", false, false, false},
		{79, 100, "0.79", false, true, true},
		{795, 1000, "0.795", true, true, true},
		{80, 100, "0.8", true, false, false},
		{795, 1000, "0.795", false, false, false},
		{0, 7, "0", false, true, true},
	}
	l := fixture(t)
	for i, st := range steps {
		id := "W" + string(rune('1'+i))
		p := payloadOf[events.WSQRFindingsReceived](t, l.do(wsqr(id, "", st.correct, st.reviewed)))
		if p.Accuracy != st.accuracy || p.ConfirmationBefore != st.before || p.ConfirmationRequired != st.required {
			t.Errorf("WSQR %d (%d/%d): accuracy %s before %v required %v; want %s %v %v",
				i+1, st.correct, st.reviewed, p.Accuracy, p.ConfirmationBefore, p.ConfirmationRequired, st.accuracy, st.before, st.required)
		}
		// WSTA confirms a start; the event says whether that agrees with the computed status.
		c := payloadOf[events.PerformanceConfirmationConfirmed](t, l.do(command("ConfirmPerformanceConfirmation", "wsta", "ws1", `"state":"started","wsqr_id":"`+id+`"`)))
		if c.ComputedRequired != st.required || c.Agrees != st.agree {
			t.Errorf("WSQR %d: confirmation %+v, want computed %v agrees %v", i+1, c, st.required, st.agree)
		}
	}
}

func TestDecideWSQRDefaultsTheResponseDate(t *testing.T) {
	l := fixture(t)
	p := payloadOf[events.WSQRFindingsReceived](t, l.do(pm("ReceiveWSQRFindings",
		`"wsqr_id":"W1","period":"2026-Q1","work_verification":{"correct":9,"reviewed":10}`)))
	// 20 business days after Friday 20 March 2026, skipping Seward's Day (Monday 30 March).
	if p.ResponseDue != "2026-04-20" || p.ResponseDueAgreed {
		t.Errorf("response_due = %s (agreed %v), want 2026-04-20 by policy", p.ResponseDue, p.ResponseDueAgreed)
	}
}

func TestDecideWSQRResponseWithEveryPlan(t *testing.T) {
	l := fixture(t)
	l.do(wsqr("W1", `{"finding_id":"W1-1","category":"a","negative":true},{"finding_id":"W1-2","category":"b","negative":false}`, 9, 10))
	p := payloadOf[events.WSQRResponseSubmitted](t, l.do(pm("SubmitWSQRResponse",
		`"wsqr_id":"W1","plans":[{"finding_id":"W1-1","plan":"retrain"}],"best_practice":"peer checks"`)))
	if len(p.Plans) != 1 || p.BestPractice != "peer checks" {
		t.Errorf("payload = %+v", p)
	}
}

func TestDecideConcernNoticesCarryTheClientNumber(t *testing.T) {
	l := fixture(t)
	l.do(call("K1"))
	l.do(call("K2"))
	resolved := payloadOf[events.ConcernResolved](t, l.do(cm("ResolveConcern",
		`"concern_id":"K1","clno_date":"2026-03-17","summary":"explained the sanction","level":"supervisor"`)))
	want := events.ConcernResolved{ConcernID: "K1", ClientNumber: testClientNumber, CLNODate: "2026-03-17",
		Summary: "explained the sanction", Level: "supervisor", Notice: events.NoticeEmail}
	if resolved != want {
		t.Errorf("resolved = %+v, want %+v", resolved, want)
	}
	fwd := payloadOf[events.ConcernForwardedToWSTA](t, l.do(cm("ForwardConcernToWSTA", `"concern_id":"K2","reason":"client disagrees"`)))
	if fwd.ClientNumber != testClientNumber {
		t.Errorf("forwarded = %+v", fwd)
	}
}

func TestDecideAcceptsWSTARecommendationsForUnknownConcerns(t *testing.T) {
	// A client may bypass the provider; WSTA's recommendations still have to be implemented.
	l := fixture(t)
	l.do(cm("ReceiveWSTARecommendation", `"concern_id":"K77","recommendation_id":"REC1","recommendations":["reassess hours"]`))
	p := payloadOf[events.WSTARecommendationImplemented](t, l.do(cm("ImplementWSTARecommendation", `"recommendation_id":"REC1","note":"done"`)))
	if p.ConcernID != "K77" {
		t.Errorf("payload = %+v", p)
	}
}

func TestDecideCorrectionNamesItsSource(t *testing.T) {
	l := fixture(t)
	l.do(pm("ReceiveDPAReport", `"report_id":"D1","kind":"inconsistent_data","period":"2026-02","findings":[{"finding_id":"D1-1","category":"hours","negative":true}]`))
	p := payloadOf[events.CorrectionCompleted](t, l.do(cm("CompleteCorrection", `"finding_id":"D1-1","note":"hours fixed"`)))
	if p.Source != events.SourceDPAReport || p.SourceID != "D1" {
		t.Errorf("payload = %+v", p)
	}
}

func TestDecideDoesNotChangeTheState(t *testing.T) {
	a, b := fixture(t), fixture(t)
	for _, l := range []*testLedger{a, b} {
		l.do(call("K1"))
		l.do(review("R1", "C1", "pm1", negativeF1))
	}
	for _, js := range []string{
		cm("ReturnClientCall", `"concern_id":"K1"`),
		cm("ResolveConcern", `"concern_id":"K1","clno_date":"2026-03-17","summary":"s","level":"case_manager"`),
		cm("CompleteCorrection", `"finding_id":"F1","note":"n"`),
		review("R2", "C2", "pm1", ""),
		pm("DrawFileReviewSample", `"month":"2026-03","seed":"s"`),
	} {
		cmd, err := wire.DecodeCommand([]byte(js))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := domain.Decide(a.state, cmd, fixtureNow, a.policy); err != nil {
			t.Fatal(err)
		}
	}
	if !reflect.DeepEqual(a.state, b.state) {
		t.Error("Decide changed the state it decided on")
	}
}

func TestDecideDraftsCarryTypeVersionAndAggregate(t *testing.T) {
	l := fixture(t)
	cmd, err := wire.DecodeCommand([]byte(command("ResolveConcern", "case_manager", "cm1",
		`"concern_id":"K1","clno_date":"2026-03-17","summary":"s","level":"case_manager"`)))
	if err != nil {
		t.Fatal(err)
	}
	l.do(call("K1"))
	drafts, err := domain.Decide(l.state, cmd, fixtureNow, l.policy)
	if err != nil {
		t.Fatal(err)
	}
	d := drafts[0]
	if d.Type != events.TypeConcernResolved || d.Version != 3 || d.AggregateKind != domain.KindConcern ||
		d.AggregateID != domain.AggregateID(testProvider, domain.KindConcern, "K1") || !d.OccurredAt.Equal(fixtureNow) {
		t.Errorf("draft = %+v", d)
	}
	var payload map[string]any
	if err := json.Unmarshal(d.Payload, &payload); err != nil || payload["level"] != "case_manager" {
		t.Errorf("payload = %s (%v)", d.Payload, err)
	}
}

func TestAllowed(t *testing.T) {
	tests := []struct {
		role, command string
		want          bool
	}{
		{"admin", "RegisterProvider", true},
		{"program_manager", "RegisterProvider", false},
		{"program_manager", "RecordWSTANoticeDelivered", false},
		{"admin", "RecordWSTANoticeDelivered", true},
		{"supervisor", "RecordFileReview", true},
		{"program_manager", "ConfirmPerformanceConfirmation", true},
		{"case_manager", "ReceiveClientCall", true},
		{"case_manager", "DiscloseEmergency", true},
		{"case_manager", "LearnCircumstanceChange", true},
		{"case_manager", "CompleteCorrection", true},
		{"case_manager", "RecordFileReview", false},
		{"case_manager", "SubmitWSQRResponse", false},
		{"case_manager", "ConfirmPerformanceConfirmation", false},
		{"wsta", "ConfirmPerformanceConfirmation", true},
		{"wsta", "ReceiveClientCall", false},
		{"csqa_auditor", "ConfirmPerformanceConfirmation", false},
		{"csqa_auditor", "ReturnClientCall", false},
		{"", "ReturnClientCall", false},
	}
	for _, tt := range tests {
		if got := domain.Allowed(tt.role, tt.command); got != tt.want {
			t.Errorf("Allowed(%s, %s) = %v, want %v", tt.role, tt.command, got, tt.want)
		}
	}
	// Every command is allowed to admin and every command but the admin's own to management.
	for _, c := range domain.CommandTypes() {
		if !domain.Allowed("admin", c) || domain.Allowed("supervisor", c) == slices.Contains(domain.AdminCommands, c) {
			t.Errorf("role table is wrong for %s", c)
		}
	}
}

func TestAccessDeniedDraft(t *testing.T) {
	l := fixture(t)
	cmd, _ := wire.DecodeCommand([]byte(command("ReceiveClientCall", "csqa_auditor", "aud1", `"concern_id":"K1","client_number":"12345678","summary":"s"`)))
	_, err := domain.Decide(l.state, cmd, fixtureNow, l.policy)
	var refusal *events.Error
	if !errors.As(err, &refusal) || refusal.Code != events.Forbidden {
		t.Fatalf("err = %v", err)
	}
	d := domain.AccessDeniedDraft(cmd, refusal, fixtureNow)
	v, err := events.Decode(events.Envelope{Type: d.Type, Version: d.Version, Payload: d.Payload})
	if err != nil {
		t.Fatal(err)
	}
	want := events.AccessDenied{StaffID: "aud1", Role: "csqa_auditor", Action: "ReceiveClientCall", Reason: refusal.Message}
	if v != want || d.AggregateKind != domain.KindAccess {
		t.Errorf("denial = %+v %+v", v, d)
	}
	if strings.Contains(string(d.Payload), testClientNumber) {
		t.Error("the denial carries the client number")
	}
}

// TestDecideGrievanceWithoutPostedMeasures: a data grievance on a month whose measures the ledger
// holds no posting of is recorded (the manual also bases grievances on the participant list and
// DPA's performance report); it opens and meets no duty.
func TestDecideGrievanceWithoutPostedMeasures(t *testing.T) {
	l := fixture(t)
	out := l.do(pm("SubmitReport", `"kind":"data_grievance","period":"2026-01","documents":[{"name":"g.pdf"}]`))
	if r := payloadOf[events.ReportSubmitted](t, out); r.Kind != events.ReportDataGrievance || r.Period != "2026-01" {
		t.Errorf("recorded %+v", r)
	}
	if _, ok := findObligation(bookOf(t, l).Obligations(l.now), "data_grievance:2026-01"); ok {
		t.Error("a grievance without posted measures opened a grievance duty")
	}
}
