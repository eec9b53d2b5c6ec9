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

// BenchmarkSeal is the log's share of a new event: canonical payload, hash and encoding, for a
// payload given as bytes (Seal) and for one EncodePayload wrote (SealEncoded).
func BenchmarkSeal(b *testing.B) {
	at := time.Date(2026, 3, 4, 5, 6, 7, 8, time.UTC)
	payload, err := EncodePayload(FileReviewRecorded{ReviewID: "R17", Month: "2026-03", CaseID: "C2", CaseManagerID: "cm1",
		ReviewerID: "pm1", ReviewerRole: "program_manager", Findings: []Finding{{FindingID: "F17", Category: "work_verification",
			Negative: true, Description: "hours for week 2 entered without verification"}}})
	if err != nil {
		b.Fatal(err)
	}
	e := Envelope{ID: "0190b1d2-7c3e-7abc-8def-0123456789ab", Type: TypeFileReviewRecorded, Version: 1, Provider: "w01",
		AggregateKind: "filereview", Aggregate: "5b1f0d5e-9d8c-5c49-9b8f-6a1b2c3d4e5f", OccurredAt: at, RecordedAt: at,
		Actor: Actor{StaffID: "pm1", Role: RoleProgramManager}, IdempotencyKey: "RecordFileReview-17-3", Payload: payload,
		Position: 3, PrevHash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}
	for _, c := range []struct {
		name string
		seal func(*Envelope) ([]byte, error)
	}{{"Seal", Seal}, {"SealEncoded", SealEncoded}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				e := e
				if _, err := c.seal(&e); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
