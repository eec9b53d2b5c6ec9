package domain_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/domain/wire"
	"github.com/wsledger/wsledger/events"
)

// busyScenario is the March scenario carried on into April: every kind of record State keeps,
// with duties met, a caseload reported again, a second roster and a sample.
func busyScenario(t *testing.T) *testLedger {
	l := marchScenario(t)
	l.now = mustTime("2026-04-10T17:00:00")
	for _, js := range []string{
		pm("DrawFileReviewSample", `"month":"2026-03","seed":"s1",`+occurred("2026-03-20T09:00:00")),
		cm("CompleteCorrection", `"finding_id":"F1","note":"hours verified",`+occurred("2026-03-23T09:00:00")),
		withOccurred(review("R2", "C2", "sup1", positiveF9), "2026-03-24T11:00:00"),
		pm("SubmitWSQRResponse", `"wsqr_id":"W1","plans":[{"finding_id":"W1-1","plan":"p"}],"best_practice":"b",`+occurred("2026-03-25T09:00:00")),
		command("ConfirmPerformanceConfirmation", "wsta", "ws1", `"state":"started","wsqr_id":"W1",`+occurred("2026-03-26T09:00:00")),
		cm("ReturnClientCall", `"concern_id":"K2",`+occurred("2026-03-20T09:00:00")),
		cm("DeclareConcernUnresolved", `"concern_id":"K2","reason":"r",`+occurred("2026-03-24T09:00:00")),
		cm("ForwardConcernToWSTA", `"concern_id":"K2","reason":"r",`+occurred("2026-03-24T10:00:00")),
		cm("ImplementWSTARecommendation", `"recommendation_id":"REC1",`+occurred("2026-03-20T09:00:00")),
		cm("ReportCircumstanceChange", `"change_id":"X1",`+occurred("2026-03-20T09:00:00")),
		pm("SubmitStaffRoster", marchRoster+`,`+occurred("2026-03-27T09:00:00")),
		pm("ReportCaseload", `"month":"2026-04","cases":[{"case_id":"C1","family_type":"all_family","case_manager_id":"cm1"}],`+occurred("2026-04-01T09:00:00")),
		pm("ReportCaseload", `"month":"2026-04","cases":[{"case_id":"C2","family_type":"two_parent","case_manager_id":"cm2"},{"case_id":"C1","family_type":"all_family","case_manager_id":"cm1"}],`+occurred("2026-04-02T09:00:00")),
		pm("ReceiveDPAReport", `"report_id":"D2","kind":"participant_list","period":"2026-03","findings":[{"finding_id":"D2-1","category":"cms","negative":true}],`+occurred("2026-04-03T09:00:00")),
		pm("SubmitReport", `"kind":"qcip","period":"2026-Q1","documents":[{"name":"q.pdf"}],`+occurred("2026-04-06T09:00:00")),
	} {
		l.do(js)
	}
	return l
}

// strayEvents are accepted facts Decide would have refused, which State keeps as far as it can:
// a review id used again (in another month) and a caseload naming a case twice.
func strayEvents(t *testing.T, l *testLedger) {
	t.Helper()
	for _, e := range []struct{ typ, kind, natural, payload string }{
		{events.TypeFileReviewRecorded, domain.KindFileReview, "R1", `{"review_id":"R1","month":"2026-04","case_id":"C1","case_manager_id":"cm1","reviewer_id":"pm1","reviewer_role":"program_manager","findings":[]}`},
		{events.TypeCaseloadReported, domain.KindCaseload, "2026-05", `{"month":"2026-05","cases":[{"case_id":"C1","family_type":"all_family","case_manager_id":"cm1"},{"case_id":"C1","family_type":"two_parent","case_manager_id":"cm2"}]}`},
	} {
		seq := l.state.Seq() + 1
		env := events.Envelope{
			ID: "stray", Type: e.typ, Version: events.CurrentVersion(e.typ), Provider: testProvider, AggregateKind: e.kind,
			Aggregate: domain.AggregateID(testProvider, e.kind, e.natural), OccurredAt: mustTime("2026-04-07T09:00:00"), RecordedAt: l.now,
			Actor: events.Actor{StaffID: "pm1", Role: events.RoleProgramManager}, Payload: json.RawMessage(e.payload), Sequence: seq,
		}
		if err := l.state.Evolve(env); err != nil {
			t.Fatal(err)
		}
		l.events = append(l.events, env)
	}
}

// nextCommands are decided on a state and on its restored copy: they touch every kind of record.
var nextCommands = []string{
	withOccurred(review("R3", "C3", "pm1", `{"finding_id":"F3","category":"cms","negative":true}`), "2026-04-08T09:00:00"),
	review("R1", "C1", "pm1", ""),
	cm("CompleteCorrection", `"finding_id":"W1-1","note":"n"`),
	cm("CompleteCorrection", `"finding_id":"F1","note":"again"`),
	cm("CompleteCorrection", `"finding_id":"D2-1","note":"n"`),
	pm("SubmitWSQRResponse", `"wsqr_id":"W1","plans":[{"finding_id":"W1-1","plan":"p"}],"best_practice":"b"`),
	wsqr("W2", `{"finding_id":"W2-1","category":"cms","negative":true}`, 81, 100),
	cm("ReturnClientCall", `"concern_id":"K1"`),
	cm("ResolveConcern", `"concern_id":"K2","clno_date":"2026-04-09","summary":"s","level":"supervisor"`),
	cm("ForwardConcernToWSTA", `"concern_id":"K2","reason":"r"`),
	cm("ImplementWSTARecommendation", `"recommendation_id":"REC1"`),
	cm("SeeEmergencyClient", `"emergency_id":"E2"`),
	cm("SeeEmergencyClient", `"emergency_id":"E1"`),
	cm("ReportCircumstanceChange", `"change_id":"X1"`),
	cm("DiscloseEmergency", `"emergency_id":"E1","client_number":"12345678","track":"work_first"`),
	pm("DrawFileReviewSample", `"month":"2026-04","seed":"s2"`),
	pm("DrawFileReviewSample", `"month":"2026-03","seed":"s3"`),
	pm("RespondToDPAReport", `"report_id":"D2","items":[{"case_id":"C1","action":"verified"}]`),
	pm("RespondToDPAReport", `"report_id":"D1","items":[{"case_id":"C1","action":"verified"}]`),
	pm("SubmitReport", `"kind":"data_grievance","period":"2026-02","documents":[{"name":"g.pdf"}]`),
}

func TestStateSavedFormRoundTrips(t *testing.T) {
	tests := []struct {
		name  string
		build func(t *testing.T) *testLedger
	}{
		{"registered only", func(t *testing.T) *testLedger {
			l := newTestLedger(t, fixtureNow)
			l.do(admin("RegisterProvider", `"name":"North Star","region":"southcentral"`))
			return l
		}},
		{"three months", marchScenario},
		{"four months, every record", busyScenario},
		{"with events Decide refuses", func(t *testing.T) *testLedger {
			l := busyScenario(t)
			strayEvents(t, l)
			return l
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := tt.build(t)
			saved, err := wire.EncodeState(l.state)
			if err != nil {
				t.Fatal(err)
			}
			restored, err := wire.DecodeState(saved)
			if err != nil {
				t.Fatal(err)
			}
			again, err := wire.EncodeState(restored)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(again, saved) {
				t.Errorf("the restored state saves other bytes:\n got %s\nwant %s", again, saved)
			}
			checkSameState(t, l, restored)
		})
	}
}

// checkSameState compares a restored state with the ledger's: positions, versions, obligations
// at several instants, and what Decide makes of further commands.
func checkSameState(t *testing.T, l *testLedger, restored *domain.State) {
	t.Helper()
	s := l.state
	if restored.Provider() != s.Provider() || restored.Seq() != s.Seq() || restored.Registered() != s.Registered() ||
		restored.UnderPerformanceConfirmation() != s.UnderPerformanceConfirmation() {
		t.Errorf("restored %s at %d (registered %t, confirmation %t), want %s at %d (%t, %t)",
			restored.Provider(), restored.Seq(), restored.Registered(), restored.UnderPerformanceConfirmation(),
			s.Provider(), s.Seq(), s.Registered(), s.UnderPerformanceConfirmation())
	}
	for _, e := range l.events {
		if got, want := restored.Version(e.AggregateKind, e.Aggregate), s.Version(e.AggregateKind, e.Aggregate); got != want {
			t.Errorf("Version(%s %s) = %d, want %d", e.AggregateKind, e.Aggregate, got, want)
		}
	}
	book, restoredBook := domain.BookOver(s, l.policy), domain.BookOver(restored, l.policy)
	for _, now := range []time.Time{fixtureNow, l.now, mustTime("2026-12-31T12:00:00")} {
		got := renderObligations(restoredBook.Obligations(now), now, l.policy)
		if want := renderObligations(book.Obligations(now), now, l.policy); !bytes.Equal(got, want) {
			t.Errorf("obligations at %s differ:\n got %s\nwant %s", now, got, want)
		}
	}
	for _, js := range nextCommands {
		cmd, err := wire.DecodeCommand([]byte(js))
		if err != nil {
			t.Fatalf("%v\n%s", err, js)
		}
		got, gotErr := domain.Decide(restored, cmd, l.now, l.policy)
		want, wantErr := domain.Decide(s, cmd, l.now, l.policy)
		if !reflect.DeepEqual(got, want) || events.ErrorCode(gotErr) != events.ErrorCode(wantErr) || errText(gotErr) != errText(wantErr) {
			t.Errorf("%s decided on the restored state:\n got %+v (%v)\nwant %+v (%v)", cmd.Header().Type, got, gotErr, want, wantErr)
		}
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestStateSavedFormIsDeterministic(t *testing.T) {
	first, second := busyScenario(t), busyScenario(t)
	a, err := wire.EncodeState(first.state)
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		b, err := wire.EncodeState(second.state)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Fatalf("the same events saved other bytes:\n%s\n%s", a, b)
		}
	}
}

func TestBookSavedForm(t *testing.T) {
	l := busyScenario(t)
	data, err := wire.EncodeBook(bookOf(t, l))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		provider string
		data     string
		code     string
	}{
		{"its own provider's state", testProvider, string(data), ""},
		{"another provider's state", "south-star", string(data), events.Invalid},
		{"not a saved state", testProvider, `{"seq":"x"}`, events.Invalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := domain.NewBook(tt.provider, l.policy)
			err := wire.DecodeBook(b, []byte(tt.data))
			if events.ErrorCode(err) != tt.code {
				t.Fatalf("err = %v, want code %q", err, tt.code)
			}
			if err != nil {
				return
			}
			checkSameState(t, l, domain.StateOf(b))
		})
	}
}

func TestEvolveDecodedEqualsEvolve(t *testing.T) {
	l := busyScenario(t)
	s := domain.NewState(testProvider)
	applyDecoded(t, l.events, s.EvolveDecoded)
	checkSameState(t, l, s)
	e := l.events[len(l.events)-1]
	payload, _ := events.Decode(e)
	if err := s.EvolveDecoded(e, payload); events.ErrorCode(err) != events.Internal {
		t.Errorf("applying the last event again: err = %v, want code internal", err)
	}
	e.Provider = "south-star"
	if err := s.EvolveDecoded(e, payload); events.ErrorCode(err) != events.Internal {
		t.Errorf("another provider's event: err = %v, want code internal", err)
	}
}

func TestBookApplyDecodedKeepsNoVersions(t *testing.T) {
	l := busyScenario(t)
	b := domain.NewBook(testProvider, l.policy)
	applyDecoded(t, l.events, b.ApplyDecoded)
	if s := domain.StateOf(b); s.Seq() != l.state.Seq() || s.VersionCount() != 0 {
		t.Errorf("the book is at %d with %d versions, want %d with none", s.Seq(), s.VersionCount(), l.state.Seq())
	}
	for _, now := range []time.Time{fixtureNow, l.now, mustTime("2026-12-31T12:00:00")} {
		got := renderObligations(b.Obligations(now), now, l.policy)
		if want := renderObligations(bookOf(t, l).Obligations(now), now, l.policy); !bytes.Equal(got, want) {
			t.Errorf("obligations at %s differ from Apply's:\n got %s\nwant %s", now, got, want)
		}
	}
}

// applyDecoded decodes each event's payload and passes both to apply.
func applyDecoded(t *testing.T, es []events.Envelope, apply func(events.Envelope, any) error) {
	t.Helper()
	for _, e := range es {
		payload, err := events.Decode(e)
		if err != nil {
			t.Fatal(err)
		}
		if err := apply(e, payload); err != nil {
			t.Fatal(err)
		}
	}
}

// TestStateSavedByEncodingJSONIsRead: saved forms written before wire used
// github.com/go-json-experiment/json (encoding/json's: nil lists as null, false left out, HTML
// escaped) restore the same state.
func TestStateSavedByEncodingJSONIsRead(t *testing.T) {
	l := busyScenario(t)
	strayEvents(t, l)
	old, err := json.Marshal(l.state.Saved())
	if err != nil {
		t.Fatal(err)
	}
	restored, err := wire.DecodeState(old)
	if err != nil {
		t.Fatal(err)
	}
	checkSameState(t, l, restored)
	want, _ := wire.EncodeState(l.state)
	if got, _ := wire.EncodeState(restored); !bytes.Equal(got, want) {
		t.Errorf("the state restored from encoding/json's form saves other bytes:\n got %s\nwant %s", got, want)
	}
}
