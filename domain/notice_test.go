package domain_test

import (
	"encoding/json"
	"testing"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
)

// TestWSTANoticeIsMetWhenTheEmailIsAccepted: the notice of a resolved concern (E.2, E.5) is an
// e-mail; recording the resolution does not meet it. It is met at the instant WSTA's mail
// server accepted the message, which the mailer records (as an admin) with its Message-ID.
func TestWSTANoticeIsMetWhenTheEmailIsAccepted(t *testing.T) {
	l := fixture(t)
	l.do(call("K1"))
	l.do(cm("ResolveConcern", `"concern_id":"K1","clno_date":"2026-03-17","summary":"s","level":"case_manager","occurred_at":"2026-03-17T10:00:00"`))
	notice := func() domain.Obligation {
		o, ok := findObligation(bookOf(t, l).Obligations(fixtureNow), domain.ObligationWSTANotice+":K1")
		if !ok {
			t.Fatal("no notice duty")
		}
		return o
	}
	if o := notice(); !o.MetAt.IsZero() || o.Status(fixtureNow, l.policy) != domain.StatusOverdue {
		t.Errorf("after the resolution alone the notice is %s (met %v); nothing reached WSTA", o.Status(fixtureNow, l.policy), o.MetAt)
	}
	delivered := func(at string) string {
		return admin("RecordWSTANoticeDelivered", `"concern_id":"K1","message_id":"<k1@wsledger>","to":"wsta@example.gov","occurred_at":"`+at+`"`)
	}
	_, err := l.try(delivered("2026-03-17T09:00:00"))
	wantRefusal(t, err, events.Invalid, "occurred_at", "concern K1 was resolved")
	_, err = l.try(pm("RecordWSTANoticeDelivered", `"concern_id":"K1","message_id":"<k1@wsledger>","to":"wsta@example.gov"`))
	wantRefusal(t, err, events.Forbidden, "actor.role")
	l.do(delivered("2026-03-18T08:30:00"))
	if o := notice(); !o.MetAt.Equal(mustTime("2026-03-18T08:30:00")) || o.Status(fixtureNow, l.policy) != domain.StatusMetOnTime {
		t.Errorf("notice met %v, %s; want at the accepted instant, on time", o.MetAt, o.Status(fixtureNow, l.policy))
	}
	_, err = l.try(delivered("2026-03-18T09:30:00"))
	wantRefusal(t, err, events.Conflict, "concern_id", "already accepted")
}

// TestResolutionsBeforeTheEmailKeepTheirReading: a resolution recorded before the ledger e-mailed
// WSTA (ConcernResolved version 2) keeps the reading it had: its notice counts as given when the
// ledger recorded it, so history does not turn overdue.
func TestResolutionsBeforeTheEmailKeepTheirReading(t *testing.T) {
	l := fixture(t)
	l.do(call("K1"))
	payload, _ := json.Marshal(map[string]string{"concern_id": "K1", "client_number": testClientNumber, "clno_date": "2026-03-17", "summary": "s", "level": "case_manager"})
	recorded := mustTime("2026-03-17T16:00:00")
	e := events.Envelope{
		ID: "old-resolution", Type: events.TypeConcernResolved, Version: 2, Provider: testProvider,
		AggregateKind: domain.KindConcern, Aggregate: domain.AggregateID(testProvider, domain.KindConcern, "K1"),
		OccurredAt: mustTime("2026-03-17T10:00:00"), RecordedAt: recorded, Actor: events.Actor{StaffID: "cm1", Role: "case_manager"},
		Payload: payload, Position: uint64(len(l.events) + 1), Sequence: uint64(len(l.events) + 1),
	}
	if err := l.state.Evolve(e); err != nil {
		t.Fatal(err)
	}
	l.events = append(l.events, e)
	o, _ := findObligation(bookOf(t, l).Obligations(fixtureNow), domain.ObligationWSTANotice+":K1")
	if !o.MetAt.Equal(recorded) || o.Status(fixtureNow, l.policy) != domain.StatusMetOnTime {
		t.Errorf("a version 2 resolution's notice: met %v, %s; want met when recorded, on time", o.MetAt, o.Status(fixtureNow, l.policy))
	}
	_, err := l.try(admin("RecordWSTANoticeDelivered", `"concern_id":"K1","message_id":"<k1@wsledger>","to":"wsta@example.gov"`))
	wantRefusal(t, err, events.Conflict, "concern_id", "before the ledger e-mailed WSTA")
}
