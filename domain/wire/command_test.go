package wire

import (
	"strings"
	"testing"
	"time"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/domain/internal/commandtest"
	"github.com/wsledger/wsledger/events"
)

func TestDecodeCommandRefuses(t *testing.T) {
	cm, pm := commandtest.CM, commandtest.PM
	tests := []struct {
		name, js, field string
		fragments       []string
	}{
		{"not UTF-8", "{\"type\":\"ReturnClientCall\",\"x\":\"\xff\"}", "", []string{"UTF-8"}},
		{"not JSON", `{"type":`, "", []string{"not valid JSON"}},
		{"trailing data", cm("ReturnClientCall", `"concern_id":"K1"`) + `{}`, "", []string{"data after"}},
		{"not an object", `["ReturnClientCall"]`, "", []string{"JSON object"}},
		{"no type", `{"provider":"north-star"}`, "type", []string{"type is required"}},
		{"type not a string", `{"type":7}`, "type", []string{"type must be a string"}},
		{"unknown type", `{"type":"DeleteEverything"}`, "type", []string{"DeleteEverything is not a wsledger command"}},
		{"client number where none belongs", cm("ReturnClientCall", `"concern_id":"K1","client_number":"12345678"`),
			"client_number", []string{"field client_number is not part of ReturnClientCall"}},
		{"unknown nested field", pm("ReportCaseload", `"month":"2026-03","cases":[{"case_id":"C1","family_type":"two_parent","case_manager_id":"cm1","ssn":"1"}]`),
			"cases[0].ssn", []string{"field ssn is not part of cases[0] in ReportCaseload"}},
		{"unknown field named like data", cm("ReturnClientCall", `"concern_id":"K1","12345678":1`),
			"", []string{"not part of ReturnClientCall"}},
		{"string expected", cm("ReturnClientCall", `"concern_id":42`), "concern_id", []string{"concern_id must be a string"}},
		{"null for a string", cm("ReturnClientCall", `"concern_id":null`), "concern_id", []string{"must be a string"}},
		{"number expected", pm("ReceiveWSQRFindings", `"wsqr_id":"W1","period":"2026-Q1","work_verification":{"correct":"9","reviewed":10}`),
			"work_verification.correct", []string{"must be a whole number"}},
		{"fraction for a count", pm("ReceiveWSQRFindings", `"wsqr_id":"W1","period":"2026-Q1","work_verification":{"correct":9.5,"reviewed":10}`),
			"work_verification.correct", []string{"whole number"}},
		{"bool expected", pm("RecordFileReview", `"review_id":"R1","month":"2026-03","case_id":"C1","reviewer_id":"pm1","findings":[{"finding_id":"F1","category":"x","negative":"yes"}]`),
			"findings[0].negative", []string{"true or false"}},
		{"array expected", pm("ReportCaseload", `"month":"2026-03","cases":{}`), "cases", []string{"must be an array"}},
		{"object expected", pm("ReportCaseload", `"month":"2026-03","cases":["C1"]`), "cases[0]", []string{"must be an object"}},
		{"negative expected_version", cm("ReturnClientCall", `"concern_id":"K1","expected_version":-1`), "expected_version", []string{"not negative"}},
		{"malformed occurred_at", cm("ReturnClientCall", `"concern_id":"K1","occurred_at":"30/03/2026"`), "occurred_at", []string{"RFC 3339", "America/Anchorage"}},
		{"date-only occurred_at", cm("ReturnClientCall", `"concern_id":"K1","occurred_at":"2026-03-30"`), "occurred_at", []string{"RFC 3339"}},
		{"malformed month", pm("ReportCaseload", `"month":"2026-3","cases":[]`), "month", []string{"YYYY-MM"}},
		{"month 13", pm("ReportCaseload", `"month":"2026-13","cases":[]`), "month", []string{"YYYY-MM"}},
		{"malformed date", cm("ResolveConcern", `"concern_id":"K1","clno_date":"2026-02-30","summary":"s","level":"supervisor"`),
			"clno_date", []string{"real calendar day", "YYYY-MM-DD"}},
		{"no provider", `{"type":"ReturnClientCall","actor":{"staff_id":"cm1","role":"case_manager"},"concern_id":"K1"}`,
			"provider", []string{"provider is required"}},
		{"provider with capitals", `{"type":"ReturnClientCall","provider":"North","actor":{"staff_id":"cm1","role":"case_manager"},"concern_id":"K1"}`,
			"provider", []string{"lowercase"}},
		{"provider wildcard", `{"type":"ReturnClientCall","provider":"north.*","actor":{"staff_id":"cm1","role":"case_manager"},"concern_id":"K1"}`,
			"provider", []string{"lowercase"}},
		{"no actor", `{"type":"ReturnClientCall","provider":"north-star","concern_id":"K1"}`, "actor.staff_id", []string{"required"}},
		{"unknown role", commandtest.Command("ReturnClientCall", "boss", "b1", `"concern_id":"K1"`), "actor.role", []string{"one of"}},
		{"id with a dot", cm("ReturnClientCall", `"concern_id":"K.1"`), "concern_id", []string{"no dots"}},
		{"id with a wildcard", cm("ReturnClientCall", `"concern_id":">"`), "concern_id", []string{"wildcards"}},
		{"id with a space", cm("ReturnClientCall", `"concern_id":"K 1"`), "concern_id", []string{"spaces"}},
		{"bad idempotency key", cm("ReturnClientCall", `"concern_id":"K1","idempotency_key":"a b"`), "idempotency_key", nil},
		{"missing id", cm("ReturnClientCall", ``), "concern_id", []string{"concern_id is required"}},
		{"client number with letters", cm("ReceiveClientCall", `"concern_id":"K1","client_number":"12AB5678","summary":"s"`),
			"client_number", []string{"4 to 12 digits"}},
		{"client number too short", cm("ReceiveClientCall", `"concern_id":"K1","client_number":"123","summary":"s"`),
			"client_number", []string{"4 to 12 digits"}},
		{"blank summary", cm("ReceiveClientCall", `"concern_id":"K1","client_number":"12345678","summary":"  "`),
			"summary", []string{"must not be blank"}},
		{"resolve without summary", cm("ResolveConcern", `"concern_id":"K1","clno_date":"2026-03-02","level":"supervisor"`),
			"summary", []string{"summary is required"}},
		{"resolve without level", cm("ResolveConcern", `"concern_id":"K1","clno_date":"2026-03-02","summary":"s"`),
			"level", []string{"case_manager, supervisor, program_manager"}},
		{"unrecorded level is for old events only", cm("ResolveConcern", `"concern_id":"K1","clno_date":"2026-03-02","summary":"s","level":"unrecorded"`),
			"level", []string{"one of"}},
		{"unknown track", cm("DiscloseEmergency", `"emergency_id":"E1","client_number":"12345678","track":"fast"`),
			"track", []string{"work_first, families_first"}},
		{"duplicate case ids", pm("ReportCaseload", `"month":"2026-03","cases":[`+
			`{"case_id":"C1","family_type":"two_parent","case_manager_id":"cm1"},`+
			`{"case_id":"C2","family_type":"all_family","case_manager_id":"cm1"},`+
			`{"case_id":"C1","family_type":"all_family","case_manager_id":"cm2"}]`),
			"cases[2].case_id", []string{"case id C1 appears twice", "cases[0].case_id"}},
		{"unknown family type", pm("ReportCaseload", `"month":"2026-03","cases":[{"case_id":"C1","family_type":"single","case_manager_id":"cm1"}]`),
			"cases[0].family_type", []string{"all_family, two_parent"}},
		{"duplicate staff", pm("SubmitStaffRoster", `"month":"2026-03","staff":[{"staff_id":"a","name":"A","role":"supervisor"},{"staff_id":"a","name":"B","role":"case_manager"}]`),
			"staff[1].staff_id", []string{"appears twice"}},
		{"supervisor not on roster", pm("SubmitStaffRoster", `"month":"2026-03","staff":[{"staff_id":"a","name":"A","role":"case_manager","supervisor_id":"z"}]`),
			"staff[0].supervisor_id", []string{"not on this roster"}},
		{"own supervisor", pm("SubmitStaffRoster", `"month":"2026-03","staff":[{"staff_id":"a","name":"A","role":"supervisor","supervisor_id":"a"}]`),
			"staff[0].supervisor_id", []string{"own supervisor"}},
		{"empty roster", pm("SubmitStaffRoster", `"month":"2026-03","staff":[]`), "staff", []string{"at least one"}},
		{"duplicate finding ids", pm("RecordFileReview", `"review_id":"R1","month":"2026-03","case_id":"C1","reviewer_id":"pm1","findings":[`+
			`{"finding_id":"F1","category":"x","negative":true},{"finding_id":"F1","category":"y","negative":false}]`),
			"findings[1].finding_id", []string{"finding id F1 appears twice"}},
		{"correct above reviewed", pm("ReceiveWSQRFindings", `"wsqr_id":"W1","period":"2026-Q1","work_verification":{"correct":11,"reviewed":10}`),
			"work_verification.correct", []string{"cannot exceed"}},
		{"nothing reviewed", pm("ReceiveWSQRFindings", `"wsqr_id":"W1","period":"2026-Q1","work_verification":{"correct":0,"reviewed":0}`),
			"work_verification.reviewed", []string{"at least one"}},
		{"negative count", pm("PostPerformanceMeasures", `"period":"2026-02","measures":[{"measure":"m1","numerator":-1,"denominator":4}]`),
			"measures[0].numerator", []string{"must not be negative"}},
		{"numerator above denominator", pm("PostPerformanceMeasures", `"period":"2026-02","measures":[{"measure":"m1","numerator":5,"denominator":4}]`),
			"measures[0].numerator", []string{"numerator (5) must not exceed denominator (4)"}},
		{"duplicate measure", pm("PostPerformanceMeasures", `"period":"2026-02","measures":[{"measure":"m1","numerator":1,"denominator":4},{"measure":"m1","numerator":1,"denominator":4}]`),
			"measures[1].measure", []string{"appears twice"}},
		{"bad period", pm("ReceiveWSQRFindings", `"wsqr_id":"W1","period":"2026-Q5","work_verification":{"correct":1,"reviewed":1}`),
			"period", []string{"YYYY-Qn"}},
		{"qcip for a month", pm("SubmitReport", `"kind":"qcip","period":"2026-03","documents":[{"name":"q.pdf"}]`),
			"period", []string{"calendar quarter"}},
		{"roster as a report", pm("SubmitReport", `"kind":"staff_roster","period":"2026-03","documents":[]`),
			"kind", []string{"SubmitStaffRoster"}},
		{"grievance without documentation", pm("SubmitReport", `"kind":"data_grievance","period":"2026-03","documents":[]`),
			"documents", []string{"documentation"}},
		{"bad document digest", pm("SubmitReport", `"kind":"qcip","period":"2026-Q1","documents":[{"name":"q.pdf","sha256":"XYZ"}]`),
			"documents[0].sha256", []string{"64"}},
		{"dispute without a note", pm("RespondToDPAReport", `"report_id":"D1","items":[{"case_id":"C1","action":"disputed"}]`),
			"items[0].note", []string{"required"}},
		{"duplicate selected case", pm("ReceiveDPAReport", `"report_id":"D1","kind":"participant_list","period":"2026-02","selected_cases":["C1","C1"]`),
			"selected_cases[1]", []string{"appears twice"}},
		{"empty recommendation", cm("ReceiveWSTARecommendation", `"concern_id":"K1","recommendation_id":"REC1","recommendations":[""]`),
			"recommendations[0]", []string{"blank"}},
		{"wrong plan type", pm("SubmitWSQRResponse", `"wsqr_id":"W1","plans":[{"finding_id":"F1","plan":["a"]}],"best_practice":"b"`),
			"plans[0].plan", []string{"must be a string"}},
		{"text too long", cm("ReceiveClientCall", `"concern_id":"K1","client_number":"12345678","summary":"`+strings.Repeat("x", 4001)+`"`),
			"summary", []string{"at most 4000"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeCommand([]byte(tt.js))
			commandtest.WantRefusal(t, err, events.Invalid, tt.field, tt.fragments...)
			if strings.Contains(err.Error(), "12345678") {
				t.Errorf("the refusal repeats a client number: %v", err)
			}
		})
	}
}

func TestDecodeCommandReadsHeader(t *testing.T) {
	js := `{"type":"ReturnClientCall","provider":"north-star","idempotency_key":"k-1",
		"actor":{"staff_id":"cm1","role":"case_manager"},"occurred_at":"2026-03-30T09:15:00",
		"expected_version":7,"concern_id":"K1"}`
	cmd, err := DecodeCommand([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	h := cmd.Header()
	if h.Type != "ReturnClientCall" || h.Provider != "north-star" || h.IdempotencyKey != "k-1" ||
		h.Actor != (events.Actor{StaffID: "cm1", Role: "case_manager"}) || h.ExpectedVersion == nil || *h.ExpectedVersion != 7 {
		t.Fatalf("header = %+v", h)
	}
	// 09:15 in Anchorage on 30 March 2026 (AKDT, UTC-8) is 17:15 UTC.
	if want := time.Date(2026, 3, 30, 17, 15, 0, 0, time.UTC); !h.OccurredAt.Equal(want) {
		t.Errorf("occurred_at = %v, want %v", h.OccurredAt, want)
	}
	if kind, id := cmd.Target(); kind != domain.KindConcern || id != "K1" {
		t.Errorf("Target = %s %s", kind, id)
	}
}

// TestDecodeCommandReadsInstantsWithoutSeconds: occurred_at may leave out the seconds, as the
// views' as-of instants may, local or zoned.
func TestDecodeCommandReadsInstantsWithoutSeconds(t *testing.T) {
	for _, tt := range []struct {
		at   string
		want time.Time
	}{
		{"2026-03-30T09:15", time.Date(2026, 3, 30, 17, 15, 0, 0, time.UTC)},       // AKDT, UTC-8
		{"2026-01-15T09:15", time.Date(2026, 1, 15, 18, 15, 0, 0, time.UTC)},       // AKST, UTC-9
		{"2026-03-30T09:15-08:00", time.Date(2026, 3, 30, 17, 15, 0, 0, time.UTC)}, // zoned
	} {
		cmd, err := DecodeCommand([]byte(`{"type":"ReturnClientCall","provider":"north-star","idempotency_key":"k-1",
			"actor":{"staff_id":"cm1","role":"case_manager"},"occurred_at":"` + tt.at + `","concern_id":"K1"}`))
		if err != nil {
			t.Fatalf("%s: %v", tt.at, err)
		}
		if got := cmd.Header().OccurredAt; !got.Equal(tt.want) {
			t.Errorf("%s: occurred_at = %v, want %v", tt.at, got, tt.want)
		}
	}
}

func TestDecodeCommandAcceptsEveryCommand(t *testing.T) {
	for name, js := range commandtest.Valid() {
		t.Run(name, func(t *testing.T) {
			cmd, err := DecodeCommand([]byte(js))
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			if cmd.Header().Type != name {
				t.Errorf("type = %s", cmd.Header().Type)
			}
		})
	}
	if len(commandtest.Valid()) != len(domain.CommandTypes()) {
		t.Errorf("%d valid samples for %d commands", len(commandtest.Valid()), len(domain.CommandTypes()))
	}
}

func TestFingerprint(t *testing.T) {
	a, err := Fingerprint([]byte(`{"type":"ReturnClientCall", "concern_id":"K1"}`))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Fingerprint([]byte(`{ "concern_id" : "K1", "type" : "ReturnClientCall" }`))
	c, _ := Fingerprint([]byte(`{"type":"ReturnClientCall","concern_id":"K2"}`))
	if a != b {
		t.Errorf("key order or spacing changed the fingerprint: %s vs %s", a, b)
	}
	if a == c || len(a) != 64 {
		t.Errorf("fingerprints %s and %s", a, c)
	}
	if _, err := Fingerprint([]byte(`{`)); events.ErrorCode(err) != events.Invalid {
		t.Errorf("bad JSON: err = %v", err)
	}
}
