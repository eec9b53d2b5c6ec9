package wire_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/wsledger/wsledger/domain/wire"
	"github.com/wsledger/wsledger/events"
)

// TestInputThatWouldCorruptIsRefused holds the inputs seen accepted from outside, each of which
// stored something other than what was meant: a denominator that overflowed a yearly sum, a
// zero instant read as now, a lone surrogate stored as U+FFFD, an id that carried the client
// number. Each is refused naming its field; the valid neighbours are accepted.
func TestInputThatWouldCorruptIsRefused(t *testing.T) {
	call := func(fields string) string {
		return `{"type":"ReceiveClientCall","provider":"north","actor":{"staff_id":"cm1","role":"case_manager"},"client_number":"12345678",` + fields + `}`
	}
	measures := func(n, d string) string {
		return `{"type":"PostPerformanceMeasures","provider":"north","actor":{"staff_id":"pm1","role":"program_manager"},"period":"2026-02","measures":[{"measure":"m1","numerator":` + n + `,"denominator":` + d + `}]}`
	}
	tests := []struct {
		name, command, field, fragment string
	}{
		{"a denominator past any count", measures("1", "9223372036854775807"), "measures[0].denominator", "at most 1000000"},
		{"a denominator just past the bound", measures("1", "1000001"), "measures[0].denominator", "at most 1000000"},
		{"a bounded denominator", measures("1", "1000000"), "", ""},
		{"the zero instant", call(`"concern_id":"Q1","summary":"s","occurred_at":"0001-01-01T00:00:00Z"`), "occurred_at", "on or after 2000-01-01"},
		{"an instant before 2000", call(`"concern_id":"Q1","summary":"s","occurred_at":"1999-12-31T23:59:59Z"`), "occurred_at", "on or after 2000-01-01"},
		{"an instant of 2000", call(`"concern_id":"Q1","summary":"s","occurred_at":"2000-01-01T00:00:00Z"`), "", ""},
		{"a lone high surrogate", call(`"concern_id":"Q1","summary":"late \ud800"`), "summary", "half a UTF-16 surrogate pair"},
		{"a lone low surrogate", call(`"concern_id":"Q1","summary":"\uDC00 late"`), "summary", "surrogate pair"},
		{"a high surrogate before another escape", call(`"concern_id":"Q1","summary":"\ud800\u0041"`), "summary", "surrogate pair"},
		{"a surrogate pair", call(`"concern_id":"Q1","summary":"late \ud83d\ude00"`), "", ""},
		{"an escaped backslash before u", call(`"concern_id":"Q1","summary":"C:\\ud800"`), "", ""},
		{"the client number as the concern id", call(`"concern_id":"12345678","summary":"s"`), "concern_id", "contains the client number"},
		{"the client number inside the concern id", call(`"concern_id":"Q-12345678-1","summary":"s"`), "concern_id", "contains the client number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := wire.DecodeCommand([]byte(tt.command))
			if tt.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var e *events.Error
			if err == nil || !errors.As(err, &e) || e.Code != events.Invalid || e.Field != tt.field || !strings.Contains(e.Message, tt.fragment) {
				t.Fatalf("got %v; want invalid %s saying %q", err, tt.field, tt.fragment)
			}
			if strings.Contains(e.Message, "12345678") {
				t.Fatal("the refusal repeats the client number")
			}
		})
	}
}
