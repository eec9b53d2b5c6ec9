package domain

import (
	"fmt"
	"testing"

	"github.com/wsledger/wsledger/events"
)

// The write path's domain steps, each on a typical command: a file review with one finding and
// a client call, written as clients send them (idempotency key, local occurred_at).
var benchCommands = []struct{ name, js string }{
	{"RecordFileReview", `{"type":"RecordFileReview","provider":"north-star","idempotency_key":"RecordFileReview-17-3",` +
		`"actor":{"staff_id":"pm1","role":"program_manager"},"occurred_at":"2026-03-16T10:00:00",` +
		`"review_id":"R17","month":"2026-03","case_id":"C2","reviewer_id":"pm1","findings":[{"finding_id":"F17",` +
		`"category":"work_verification","negative":true,"description":"hours for week 2 entered without verification"}]}`},
	{"ReceiveClientCall", `{"type":"ReceiveClientCall","provider":"north-star","idempotency_key":"ReceiveClientCall-17-0",` +
		`"actor":{"staff_id":"cm1","role":"case_manager"},"occurred_at":"2026-03-16T10:00:00",` +
		`"concern_id":"Q17","client_number":"12345678","summary":"benefit amount questioned"}`},
}

// benchState returns a provider registered with the roster and caseload of March 2026.
func benchState(b *testing.B) *State {
	b.Helper()
	s := NewState(testProvider)
	for _, js := range []string{
		admin("RegisterProvider", `"name":"North Star","region":"southcentral","occurred_at":"2026-01-05T09:00:00"`),
		pm("SubmitStaffRoster", marchRoster+`,"occurred_at":"2026-03-02T09:00:00"`),
		pm("ReportCaseload", marchCaseload+`,"occurred_at":"2026-03-02T09:00:00"`),
	} {
		for _, e := range benchEnvelopes(b, s, js) {
			if err := s.Evolve(e); err != nil {
				b.Fatal(err)
			}
		}
	}
	return s
}

// benchEnvelopes decodes and decides a command and returns its events as the log would number
// them after the state's last sequence.
func benchEnvelopes(b *testing.B, s *State, js string) []events.Envelope {
	b.Helper()
	cmd, err := DecodeCommand([]byte(js))
	if err != nil {
		b.Fatal(err)
	}
	drafts, err := Decide(s, cmd, fixtureNow, DefaultPolicy())
	if err != nil {
		b.Fatal(err)
	}
	h := cmd.Header()
	out := make([]events.Envelope, len(drafts))
	for i, d := range drafts {
		seq := s.Seq() + uint64(i) + 1
		out[i] = events.Envelope{ID: fmt.Sprintf("e%d", seq), Type: d.Type, Version: d.Version,
			Provider: h.Provider, AggregateKind: d.AggregateKind, Aggregate: d.AggregateID,
			OccurredAt: d.OccurredAt, RecordedAt: fixtureNow, Actor: h.Actor, IdempotencyKey: h.IdempotencyKey,
			Payload: d.Payload, Position: seq, Sequence: seq}
	}
	return out
}

// benchEachCommand runs a benchmark on each typical command's JSON. Set-up done before the
// first b.Loop is not timed.
func benchEachCommand(b *testing.B, bench func(b *testing.B, data []byte)) {
	for _, c := range benchCommands {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			bench(b, []byte(c.js))
		})
	}
}

func BenchmarkDecodeCommand(b *testing.B) {
	benchEachCommand(b, func(b *testing.B, data []byte) {
		for b.Loop() {
			if _, err := DecodeCommand(data); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkFingerprint(b *testing.B) {
	benchEachCommand(b, func(b *testing.B, data []byte) {
		for b.Loop() {
			if _, err := Fingerprint(data); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkDecide(b *testing.B) {
	benchEachCommand(b, func(b *testing.B, data []byte) {
		s := benchState(b)
		cmd, err := DecodeCommand(data)
		if err != nil {
			b.Fatal(err)
		}
		p := DefaultPolicy()
		for b.Loop() {
			if _, err := Decide(s, cmd, fixtureNow, p); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkEvolve(b *testing.B) {
	benchEachCommand(b, func(b *testing.B, data []byte) {
		s := benchState(b)
		e := benchEnvelopes(b, s, string(data))[0]
		for b.Loop() {
			e.Sequence = s.Seq() + 1
			if err := s.Evolve(e); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkWritePath is the domain's share of one command as the ledger runs it: decode and
// fingerprint, decide, apply the decided payload.
func BenchmarkWritePath(b *testing.B) {
	benchEachCommand(b, func(b *testing.B, data []byte) {
		s := benchState(b)
		p := DefaultPolicy()
		for b.Loop() {
			cmd, _, err := DecodeFingerprinted(data)
			if err != nil {
				b.Fatal(err)
			}
			drafts, err := Decide(s, cmd, fixtureNow, p)
			if err != nil {
				b.Fatal(err)
			}
			d := drafts[0]
			e := events.Envelope{Type: d.Type, Version: d.Version, Provider: testProvider, AggregateKind: d.AggregateKind,
				Aggregate: d.AggregateID, OccurredAt: d.OccurredAt, Payload: d.Payload, Sequence: s.Seq() + 1}
			if err := s.EvolveDecoded(e, d.Value); err != nil {
				b.Fatal(err)
			}
			// Decide refuses a concern or review it has seen; forget it so the next round is new.
			delete(s.concerns, "Q17")
			delete(s.reviews, "R17")
			delete(s.findings, "F17")
			s.monthReviews["2026-03"], s.findingOrder = nil, nil
		}
	})
}

func BenchmarkDecodeFingerprinted(b *testing.B) {
	benchEachCommand(b, func(b *testing.B, data []byte) {
		for b.Loop() {
			if _, _, err := DecodeFingerprinted(data); err != nil {
				b.Fatal(err)
			}
		}
	})
}
