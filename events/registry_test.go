package events

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestDecodeUpcastsConcernResolvedV1(t *testing.T) {
	v1 := `{"concern_id":"K1","client_number":"12345678","clno_date":"2025-03-04","summary":"explained"}`
	got, err := Decode(Envelope{Type: TypeConcernResolved, Version: 1, Payload: json.RawMessage(v1)})
	if err != nil {
		t.Fatalf("Decode v1: %v", err)
	}
	want := ConcernResolved{ConcernID: "K1", ClientNumber: "12345678", CLNODate: "2025-03-04",
		Summary: "explained", Level: LevelUnrecorded, Notice: NoticeRecorded}
	if got != want {
		t.Fatalf("got %#v, want %#v", got, want)
	}
}

func TestUpcastConcernResolvedV1(t *testing.T) {
	tests := []struct {
		name, in, want, wantErr string
	}{
		{name: "adds level", in: `{"concern_id":"K1"}`, want: `{"concern_id":"K1","level":"unrecorded"}`},
		{name: "empty object", in: `{}`, want: `{"level":"unrecorded"}`},
		{name: "level already present", in: `{"level":"supervisor"}`, wantErr: "already has a level"},
		{name: "not an object", in: `[1]`, wantErr: "not a JSON object"},
		{name: "null", in: `null`, wantErr: "null"},
		{name: "garbage", in: `{`, wantErr: "not a JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := UpcastConcernResolvedV1(json.RawMessage(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || string(got) != tt.want {
				t.Fatalf("got %s, %v; want %s", got, err, tt.want)
			}
		})
	}
}

// TestUpcastConcernResolvedV2: a resolution recorded before the ledger e-mailed WSTA keeps its
// reading, the notice counted as given when it was recorded.
func TestUpcastConcernResolvedV2(t *testing.T) {
	got, err := Decode(Envelope{Type: TypeConcernResolved, Version: 2, Payload: json.RawMessage(
		`{"concern_id":"K1","client_number":"12345678","clno_date":"2025-03-04","summary":"s","level":"supervisor"}`)})
	if r, ok := got.(ConcernResolved); err != nil || !ok || r.Notice != NoticeRecorded {
		t.Fatalf("a version 2 resolution decodes to %#v, %v; want notice recorded", got, err)
	}
	for _, tt := range []struct{ in, wantErr string }{
		{`{"notice":"email"}`, "already has a notice"},
		{`[1]`, "not a JSON object"},
		{`null`, "null"},
	} {
		if _, err := UpcastConcernResolvedV2(json.RawMessage(tt.in)); err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("UpcastConcernResolvedV2(%s) = %v, want an error containing %q", tt.in, err, tt.wantErr)
		}
	}
	_, err = Decode(Envelope{Type: TypeConcernResolved, Version: 3, Payload: json.RawMessage(
		`{"concern_id":"K1","client_number":"1","clno_date":"2025-03-04","summary":"s","level":"supervisor","notice":"fax"}`)})
	if err == nil || !strings.Contains(err.Error(), "not recorded or email") {
		t.Errorf("a version 3 notice of fax: %v", err)
	}
}

func TestUpcastDPAReportReceivedV1(t *testing.T) {
	for _, tt := range []struct{ name, in, wantErr string }{
		{name: "kept as it is", in: `{"report_id":"D1","kind":"participant_list"}`},
		{name: "remarks already present", in: `{"remarks":["x"]}`, wantErr: "has remarks"},
		{name: "mix already present", in: `{"statewide_family_mix":[]}`, wantErr: "has statewide_family_mix"},
		{name: "not an object", in: `[1]`, wantErr: "not a JSON object"},
		{name: "null", in: `null`, wantErr: "null"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := UpcastDPAReportReceivedV1(json.RawMessage(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || string(got) != tt.in {
				t.Fatalf("got %s, %v; want the payload unchanged", got, err)
			}
		})
	}
	v, err := Decode(Envelope{Type: TypeDPAReportReceived, Version: 1, Payload: json.RawMessage(
		`{"report_id":"D1","kind":"participant_list","period":"2025-02","distributed_on":"","selected_cases":["C1"],"findings":[]}`)})
	if r, ok := v.(DPAReportReceived); err != nil || !ok || r.Remarks != nil || len(r.SelectedCases) != 1 {
		t.Fatalf("a version 1 report decodes to %#v, %v", v, err)
	}
}

func TestDecodeRefuses(t *testing.T) {
	tests := []struct {
		name      string
		env       Envelope
		wantField string
		wantText  string
	}{
		{"unknown type", Envelope{Type: "ConcernMisplaced", Version: 1, Payload: json.RawMessage(`{}`)},
			"type", "not in the catalogue"},
		{"version zero", Envelope{Type: TypeClientCallReturned, Version: 0, Payload: json.RawMessage(`{"concern_id":"K1"}`)},
			"version", "version 0 is not one of them"},
		{"version from the future", Envelope{Type: TypeConcernResolved, Version: 4, Payload: json.RawMessage(`{}`)},
			"version", "versions 1 to 3"},
		{"unknown field", Envelope{Type: TypeClientCallReturned, Version: 1,
			Payload: json.RawMessage(`{"concern_id":"K1","client_number":"1234"}`)}, "payload", "unknown field"},
		{"unknown nested field", Envelope{Type: TypeCaseloadReported, Version: 1,
			Payload: json.RawMessage(`{"month":"2025-03","cases":[{"case_id":"C1","ssn":"x"}]}`)}, "payload", "unknown field"},
		{"wrong JSON type", Envelope{Type: TypeClientCallReturned, Version: 1,
			Payload: json.RawMessage(`{"concern_id":7}`)}, "payload", "cannot unmarshal"},
		{"null payload", Envelope{Type: TypeClientCallReturned, Version: 1, Payload: json.RawMessage(`null`)},
			"payload", "must be a JSON object"},
		{"trailing data", Envelope{Type: TypeClientCallReturned, Version: 1,
			Payload: json.RawMessage(`{"concern_id":"K1"} {}`)}, "payload", "trailing data"},
		{"v2 without level", Envelope{Type: TypeConcernResolved, Version: 2,
			Payload: json.RawMessage(`{"concern_id":"K1","client_number":"1234","clno_date":"2025-03-04","summary":"s"}`)},
			"payload", "level is required"},
		{"v1 with a level", Envelope{Type: TypeConcernResolved, Version: 1,
			Payload: json.RawMessage(`{"concern_id":"K1","level":"supervisor"}`)}, "payload", "cannot be upcast from version 1 to 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode(tt.env)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want *Error", err)
			}
			if e.Code != Invalid || e.Field != tt.wantField || !strings.Contains(e.Message, tt.wantText) {
				t.Fatalf("got %+v, want invalid %s containing %q", e, tt.wantField, tt.wantText)
			}
		})
	}
}

func TestNewRegistryRefusesInconsistentTypes(t *testing.T) {
	up := func(r json.RawMessage) (json.RawMessage, error) { return r, nil }
	tests := []struct {
		name  string
		types []EventType
		want  string
	}{
		{"no name", []EventType{Register[ClientCallReturned]("", 1)}, "without a name"},
		{"version zero", []EventType{Register[ClientCallReturned]("A", 0)}, "versions start at 1"},
		{"missing upcaster", []EventType{Register[ClientCallReturned]("A", 2)}, "needs 1 upcasters"},
		{"extra upcaster", []EventType{Register[ClientCallReturned]("A", 1, up)}, "needs 0 upcasters"},
		{"twice", []EventType{Register[ClientCallReturned]("A", 1), Register[ClientCallReturned]("A", 1)}, "registered twice"},
		{"not built with Register", []EventType{{Name: "A", Version: 1}}, "not built with Register"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewRegistry(tt.types...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestRegistryAppliesUpcastersInOrder(t *testing.T) {
	step := func(from, to string) Upcaster {
		return func(r json.RawMessage) (json.RawMessage, error) {
			return json.RawMessage(strings.Replace(string(r), from, to, 1)), nil
		}
	}
	r, err := NewRegistry(Register[ClientCallReturned]("Returned", 3,
		step(`"id"`, `"concern"`), step(`"concern"`, `"concern_id"`)))
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.Decode(Envelope{Type: "Returned", Version: 1, Payload: json.RawMessage(`{"id":"K9"}`)})
	if err != nil {
		t.Fatal(err)
	}
	if got != (ClientCallReturned{ConcernID: "K9"}) {
		t.Fatalf("got %#v", got)
	}
}
