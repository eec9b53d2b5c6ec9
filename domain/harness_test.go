package domain

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wsledger/wsledger/events"
)

// testProvider is the provider every test ledger belongs to.
const testProvider = "north-star"

// testClientNumber is the client number test commands carry; no refusal may repeat it.
const testClientNumber = "12345678"

// testLedger decides commands and applies the events they yield, numbering them as a log would.
type testLedger struct {
	t      *testing.T
	state  *State
	policy Policy
	now    time.Time
	events []events.Envelope
}

func newTestLedger(t *testing.T, now time.Time) *testLedger {
	t.Helper()
	return &testLedger{t: t, state: NewState(testProvider), policy: DefaultPolicy(), now: now}
}

// command builds a command's JSON from its type, the actor's role and staff id, and the rest
// of its fields as JSON members (without braces).
func command(typ, role, staff, fields string) string {
	body := fmt.Sprintf(`"type":%q,"provider":%q,"actor":{"staff_id":%q,"role":%q}`, typ, testProvider, staff, role)
	if fields != "" {
		body += "," + fields
	}
	return "{" + body + "}"
}

// try decodes, decides and, when accepted, applies a command given as JSON.
func (l *testLedger) try(js string) ([]events.Envelope, error) {
	l.t.Helper()
	cmd, err := DecodeCommand([]byte(js))
	if err != nil {
		return nil, err
	}
	drafts, err := Decide(l.state, cmd, l.now, l.policy)
	if err != nil {
		return nil, err
	}
	h := cmd.Header()
	var out []events.Envelope
	for _, d := range drafts {
		e := events.Envelope{
			ID: fmt.Sprintf("e%d", len(l.events)+1), Type: d.Type, Version: d.Version,
			Provider: h.Provider, AggregateKind: d.AggregateKind, Aggregate: d.AggregateID,
			OccurredAt: d.OccurredAt, RecordedAt: l.now, Actor: h.Actor, IdempotencyKey: h.IdempotencyKey,
			Payload: d.Payload, Position: uint64(len(l.events) + 1), Sequence: uint64(len(l.events) + 1),
		}
		if v, err := events.Decode(e); err != nil || !reflect.DeepEqual(v, d.Value) {
			l.t.Fatalf("the %s draft's value is %#v; its payload decodes to %#v (%v)", d.Type, d.Value, v, err)
		}
		if err := l.state.Evolve(e); err != nil {
			l.t.Fatalf("Evolve(%s): %v", d.Type, err)
		}
		l.events = append(l.events, e)
		out = append(out, e)
	}
	return out, nil
}

// do runs a command that must be accepted.
func (l *testLedger) do(js string) []events.Envelope {
	l.t.Helper()
	out, err := l.try(js)
	if err != nil {
		l.t.Fatalf("command refused: %v\n%s", err, js)
	}
	return out
}

// wantRefusal checks that err is an *events.Error with the code and field, whose message
// contains every fragment.
func wantRefusal(t *testing.T, err error, code, field string, fragments ...string) {
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
	if strings.Contains(e.Error(), testClientNumber) {
		t.Errorf("the refusal repeats a client number: %v", e)
	}
	if !strings.HasSuffix(e.Message, ".") {
		t.Errorf("message %q does not end a sentence", e.Message)
	}
}

func mustTime(s string) time.Time {
	t, ok := parseInstant(s)
	if !ok {
		panic("bad test time " + s)
	}
	return t
}
