package domain_test

import (
	"testing"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
)

// TestConcernsFromEveryChannel: ReceiveConcern records a concern from each channel; only a call
// or a voicemail opens the one-business-day callback duty, and only they have a call to return.
func TestConcernsFromEveryChannel(t *testing.T) {
	for _, tt := range []struct {
		channel  string
		callback bool
	}{
		{"phone", true}, {"voicemail", true}, {"written", false}, {"email", false}, {"in_person", false}, {"wsta_referral", false},
	} {
		t.Run(tt.channel, func(t *testing.T) {
			l := fixture(t)
			got := l.do(cm("ReceiveConcern", `"concern_id":"K1","client_number":"12345678","summary":"s","channel":"`+tt.channel+`","occurred_at":"2026-03-16T10:00:00"`))
			if p, _ := events.Decode(got[0]); p.(events.ConcernReceived).Channel != tt.channel {
				t.Errorf("payload %+v", p)
			}
			_, hasCallback := findObligation(bookOf(t, l).Obligations(fixtureNow), domain.ObligationCallReturn+":K1")
			if hasCallback != tt.callback {
				t.Errorf("callback duty %v, want %v", hasCallback, tt.callback)
			}
			_, err := l.try(cm("ReturnClientCall", `"concern_id":"K1"`))
			if tt.callback && err != nil {
				t.Errorf("returning the call: %v", err)
			}
			if !tt.callback {
				wantRefusal(t, err, events.Invalid, "concern_id", "came by "+tt.channel, "no call to return")
			}
			l.do(cm("ResolveConcern", `"concern_id":"K1","clno_date":"2026-03-18","summary":"s","level":"case_manager"`))
		})
	}
	l := fixture(t)
	_, err := l.try(cm("ReceiveConcern", `"concern_id":"K1","client_number":"12345678","summary":"s","channel":"fax"`))
	wantRefusal(t, err, events.Invalid, "channel")
}

// TestConcernReferredByWSTA: a client took a concern straight to WSTA, which sent its
// recommendations (E.4). The concern is the provider's to resolve, forward back and document,
// with the client number given where the ledger has none; a different number is refused.
func TestConcernReferredByWSTA(t *testing.T) {
	l := fixture(t)
	l.do(cm("ReceiveWSTARecommendation", `"concern_id":"K9","recommendation_id":"REC9","recommendations":["r"],"occurred_at":"2026-03-16T10:00:00"`))
	if _, ok := findObligation(bookOf(t, l).Obligations(fixtureNow), domain.ObligationCallReturn+":K9"); ok {
		t.Error("a concern WSTA referred opened a callback duty")
	}
	resolved := l.do(cm("ResolveConcern", `"concern_id":"K9","clno_date":"2026-03-18","summary":"s","level":"supervisor","client_number":"12345678"`))
	if p, _ := events.Decode(resolved[0]); p.(events.ConcernResolved).ClientNumber != testClientNumber {
		t.Errorf("the resolution does not carry the client number given: %+v", p)
	}
	if _, ok := findObligation(bookOf(t, l).Obligations(fixtureNow), domain.ObligationWSTANotice+":K9"); !ok {
		t.Error("no WSTA notice duty for the resolved referral")
	}

	l = fixture(t)
	l.do(cm("ReceiveWSTARecommendation", `"concern_id":"K8","recommendation_id":"REC8","recommendations":["r"],"occurred_at":"2026-03-16T10:00:00"`))
	l.do(cm("ReceiveConcern", `"concern_id":"K8","client_number":"12345678","summary":"referred by WSTA","channel":"wsta_referral","occurred_at":"2026-03-16T11:00:00"`))
	_, err := l.try(cm("ForwardConcernToWSTA", `"concern_id":"K8","reason":"r","client_number":"87654321"`))
	wantRefusal(t, err, events.Invalid, "client_number", "differs")
	forwarded := l.do(cm("ForwardConcernToWSTA", `"concern_id":"K8","reason":"back to WSTA"`))
	if p, _ := events.Decode(forwarded[0]); p.(events.ConcernForwardedToWSTA).ClientNumber != testClientNumber {
		t.Errorf("the forward does not carry the recorded client number: %+v", p)
	}
	_, err = l.try(cm("ReceiveConcern", `"concern_id":"K8","client_number":"12345678","summary":"s","channel":"email"`))
	wantRefusal(t, err, events.Conflict, "concern_id", "already been recorded")

	// Without a client number anywhere the resolution is still documented.
	l = fixture(t)
	l.do(cm("ReceiveWSTARecommendation", `"concern_id":"K7","recommendation_id":"REC7","recommendations":["r"],"occurred_at":"2026-03-16T10:00:00"`))
	l.do(cm("ResolveConcern", `"concern_id":"K7","clno_date":"2026-03-18","summary":"s","level":"supervisor"`))
}
