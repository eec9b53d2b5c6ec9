package domain_test

import (
	"encoding/json"
	"testing"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/domain/wire"
	"github.com/wsledger/wsledger/events"
)

func TestStateTracksSequencesAndVersions(t *testing.T) {
	l := fixture(t)
	l.do(call("K1"))
	l.do(call("K2"))
	l.do(cm("ReturnClientCall", `"concern_id":"K1"`))
	s := l.state
	if s.Seq() != 6 {
		t.Errorf("Seq = %d, want 6", s.Seq())
	}
	tests := []struct {
		kind, natural string
		want          uint64
	}{
		{domain.KindProvider, testProvider, 1},
		{domain.KindRoster, "2026-03", 2},
		{domain.KindCaseload, "2026-03", 3},
		{domain.KindConcern, "K1", 6},
		{domain.KindConcern, "K2", 5},
		{domain.KindConcern, "K3", 0},
	}
	for _, tt := range tests {
		if got := s.Version(tt.kind, domain.AggregateID(testProvider, tt.kind, tt.natural)); got != tt.want {
			t.Errorf("Version(%s %s) = %d, want %d", tt.kind, tt.natural, got, tt.want)
		}
	}
}

func TestEvolveRefuses(t *testing.T) {
	good := events.Envelope{ID: "e1", Type: events.TypeProviderRegistered, Version: 1, Provider: testProvider,
		Payload: json.RawMessage(`{"name":"N","region":"r"}`), Sequence: 5}
	tests := []struct {
		name   string
		change func(*events.Envelope)
		code   string
	}{
		{"another provider's event", func(e *events.Envelope) { e.Provider = "south-star" }, events.Internal},
		{"a sequence already applied", func(e *events.Envelope) { e.Sequence = 5 }, events.Internal},
		{"an earlier sequence", func(e *events.Envelope) { e.Sequence = 2 }, events.Internal},
		{"an unknown event type", func(e *events.Envelope) { e.Type = "Nope"; e.Sequence = 6 }, events.Invalid},
		{"a payload that does not decode", func(e *events.Envelope) { e.Payload = json.RawMessage(`{"name":1}`); e.Sequence = 6 }, events.Invalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := domain.NewState(testProvider)
			if err := s.Evolve(good); err != nil {
				t.Fatal(err)
			}
			e := good
			tt.change(&e)
			if err := s.Evolve(e); events.ErrorCode(err) != tt.code {
				t.Errorf("err = %v, want code %s", err, tt.code)
			}
			if s.Seq() != 5 {
				t.Errorf("a refused event moved Seq to %d", s.Seq())
			}
		})
	}
}

func TestEvolveUpcastsOldEvents(t *testing.T) {
	s := domain.NewState(testProvider)
	for i, e := range []events.Envelope{
		{Type: events.TypeProviderRegistered, Version: 1, Payload: json.RawMessage(`{"name":"N","region":"r"}`)},
		{Type: events.TypeClientCallReceived, Version: 1, Payload: json.RawMessage(`{"concern_id":"K1","client_number":"12345678","summary":"s"}`)},
		{Type: events.TypeConcernResolved, Version: 1, Payload: json.RawMessage(`{"concern_id":"K1","client_number":"12345678","clno_date":"2026-03-02","summary":"s"}`)},
	} {
		e.Provider, e.Sequence, e.OccurredAt = testProvider, uint64(i+1), fixtureNow
		if err := s.Evolve(e); err != nil {
			t.Fatalf("event %d: %v", i+1, err)
		}
	}
	cmd, _ := wire.DecodeCommand([]byte(cm("ResolveConcern", `"concern_id":"K1","clno_date":"2026-03-20","summary":"s","level":"case_manager"`)))
	_, err := domain.Decide(s, cmd, fixtureNow, domain.DefaultPolicy())
	wantRefusal(t, err, events.Conflict, "concern_id", "already been resolved")
}
