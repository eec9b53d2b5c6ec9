package projections

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/projections/internal/fixture"
)

// TestHashMatchesComputeHash: hashMatches agrees with events.ComputeHash on generated events,
// on events with unusual content, and on events changed after they were hashed.
func TestHashMatchesComputeHash(t *testing.T) {
	history, err := fixture.Generate([]string{"north", "south"}, 300, 3)
	if err != nil {
		t.Fatal(err)
	}
	base := history[len(history)-1]
	changes := []struct {
		name   string
		change func(*events.Envelope)
		rehash bool // hash the changed event, as its writer would
	}{
		{"as written", func(*events.Envelope) {}, false},
		{"text beyond ASCII", func(e *events.Envelope) {
			e.Actor.StaffID, e.Payload = "Ærøskøbing-3", json.RawMessage(`{"summary":"café ☕ ok"}`)
		}, true},
		{"no idempotency key, no previous hash", func(e *events.Envelope) { e.IdempotencyKey, e.PrevHash = "", "" }, true},
		{"times in another zone", func(e *events.Envelope) { e.OccurredAt = e.OccurredAt.In(domain.Anchorage) }, true},
		{"zero times", func(e *events.Envelope) { e.OccurredAt, e.RecordedAt = time.Time{}, time.Time{} }, true},
		{"a long payload", func(e *events.Envelope) {
			e.Payload = json.RawMessage(`{"note":"` + strings.Repeat("x", 20_000) + `"}`)
		}, true},
		{"payload changed", func(e *events.Envelope) { e.Payload = json.RawMessage(`{"concern_id":"other"}`) }, false},
		{"position changed", func(e *events.Envelope) { e.Position++ }, false},
		{"hash in capitals", func(e *events.Envelope) { e.Hash = strings.ToUpper(e.Hash) }, false},
		{"hash cut short", func(e *events.Envelope) { e.Hash = e.Hash[:10] }, false},
		{"no hash", func(e *events.Envelope) { e.Hash = "" }, false},
	}
	for _, c := range changes {
		t.Run(c.name, func(t *testing.T) {
			e := base
			c.change(&e)
			if c.rehash {
				h, err := events.ComputeHash(&e)
				if err != nil {
					t.Fatal(err)
				}
				e.Hash = h
			}
			want, err := events.ComputeHash(&e)
			if err != nil {
				t.Fatal(err)
			}
			if got := hashMatches(&e); got != (want == e.Hash) {
				t.Errorf("hashMatches = %t, events.ComputeHash says %t", got, want == e.Hash)
			}
		})
	}
	for i := range history {
		if !hashMatches(&history[i]) {
			t.Fatalf("event at sequence %d does not match its hash", history[i].Sequence)
		}
	}
}
