package domain_test

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/domain/internal/commandtest"
	"github.com/wsledger/wsledger/domain/wire"
	"github.com/wsledger/wsledger/events"
)

// The test commands, shared with package wire's tests.
const (
	testProvider     = commandtest.Provider
	testClientNumber = commandtest.ClientNumber
	marchRoster      = commandtest.MarchRoster
	marchCaseload    = commandtest.MarchCaseload
)

var (
	command       = commandtest.Command
	admin         = commandtest.Admin
	pm            = commandtest.PM
	cm            = commandtest.CM
	validCommands = commandtest.Valid
	wantRefusal   = commandtest.WantRefusal
)

// testLedger decides commands and applies the events they yield, numbering them as a log would.
type testLedger struct {
	t      *testing.T
	state  *domain.State
	policy domain.Policy
	now    time.Time
	events []events.Envelope
}

func newTestLedger(t *testing.T, now time.Time) *testLedger {
	t.Helper()
	return &testLedger{t: t, state: domain.NewState(testProvider), policy: domain.DefaultPolicy(), now: now}
}

// try decodes, decides and, when accepted, applies a command given as JSON.
func (l *testLedger) try(js string) ([]events.Envelope, error) {
	l.t.Helper()
	cmd, err := wire.DecodeCommand([]byte(js))
	if err != nil {
		return nil, err
	}
	drafts, err := domain.Decide(l.state, cmd, l.now, l.policy)
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

func mustTime(s string) time.Time {
	t, ok := domain.ParseInstant(s)
	if !ok {
		panic("bad test time " + s)
	}
	return t
}
