package events

import (
	"bytes"
	"testing"
	"time"
)

// TestSealMatchesItsSteps checks Seal against what it stands for: the payload in canonical
// form, the hash over it, the envelope encoded by MarshalEnvelope.
func TestSealMatchesItsSteps(t *testing.T) {
	at := time.Date(2026, 3, 4, 5, 6, 7, 8, time.UTC)
	for _, payload := range append(canonicalCases, ``, `{"b":1,"a":"<é>"}`) {
		e := Envelope{ID: "0190b1d2-7c3e-7abc-8def-0123456789ab", Type: "FileReviewRecorded", Version: 1, Provider: "north",
			AggregateKind: "filereview", Aggregate: "a", OccurredAt: at, RecordedAt: at, Actor: Actor{StaffID: "s", Role: "supervisor"},
			IdempotencyKey: "k", Payload: []byte(payload), Position: 3, PrevHash: "p"}
		want := e
		canon, err := CanonicalJSON(want.Payload)
		if err != nil {
			t.Fatal(err)
		}
		want.Payload = canon
		if want.Hash, err = ComputeHash(&want); err != nil {
			t.Fatal(err)
		}
		wantData, err := MarshalEnvelope(&want)
		if err != nil {
			t.Fatal(err)
		}
		data, err := Seal(&e)
		if err != nil || !bytes.Equal(data, wantData) || e.Hash != want.Hash || !bytes.Equal(e.Payload, want.Payload) {
			t.Errorf("Seal with payload %s = %s, %v; want %s", payload, data, err, wantData)
		}
	}
}

func TestSealRefusesPayloads(t *testing.T) {
	for _, payload := range []string{`{"a":1,"a":2}`, `{"a":`, "\"\xff\""} {
		e := Envelope{ID: "x", Payload: []byte(payload)}
		if _, err := Seal(&e); ErrorCode(err) != Invalid || err.(*Error).Field != "payload" {
			t.Errorf("Seal with payload %q: %v, want an invalid payload error", payload, err)
		}
	}
}
