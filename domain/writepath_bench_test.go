package domain_test

import (
	"fmt"
	"testing"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/domain/internal/commandtest"
	"github.com/wsledger/wsledger/domain/wire"
	"github.com/wsledger/wsledger/events"
)

// benchState returns a provider registered with the roster and caseload of March 2026.
func benchState(b *testing.B) *domain.State {
	b.Helper()
	s := domain.NewState(testProvider)
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
func benchEnvelopes(b *testing.B, s *domain.State, js string) []events.Envelope {
	b.Helper()
	cmd, err := wire.DecodeCommand([]byte(js))
	if err != nil {
		b.Fatal(err)
	}
	drafts, err := domain.Decide(s, cmd, fixtureNow, domain.DefaultPolicy())
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
	for _, c := range commandtest.Typical {
		b.Run(c.Name, func(b *testing.B) {
			b.ReportAllocs()
			bench(b, []byte(c.JSON))
		})
	}
}

func BenchmarkDecodeCommand(b *testing.B) {
	benchEachCommand(b, func(b *testing.B, data []byte) {
		for b.Loop() {
			if _, err := wire.DecodeCommand(data); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkFingerprint(b *testing.B) {
	benchEachCommand(b, func(b *testing.B, data []byte) {
		for b.Loop() {
			if _, err := wire.Fingerprint(data); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkDecide(b *testing.B) {
	benchEachCommand(b, func(b *testing.B, data []byte) {
		s := benchState(b)
		cmd, err := wire.DecodeCommand(data)
		if err != nil {
			b.Fatal(err)
		}
		p := domain.DefaultPolicy()
		for b.Loop() {
			if _, err := domain.Decide(s, cmd, fixtureNow, p); err != nil {
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
		p := domain.DefaultPolicy()
		for b.Loop() {
			cmd, _, err := wire.DecodeFingerprinted(data)
			if err != nil {
				b.Fatal(err)
			}
			drafts, err := domain.Decide(s, cmd, fixtureNow, p)
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
			s.Forget("Q17", "R17", "F17", "2026-03")
		}
	})
}

func BenchmarkDecodeFingerprinted(b *testing.B) {
	benchEachCommand(b, func(b *testing.B, data []byte) {
		for b.Loop() {
			if _, _, err := wire.DecodeFingerprinted(data); err != nil {
				b.Fatal(err)
			}
		}
	})
}
