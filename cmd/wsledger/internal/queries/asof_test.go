package queries_test

import (
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/queries"
	"github.com/wsledger/wsledger/events"
)

func TestParseAsOf(t *testing.T) {
	tests := []parseCase{
		{"2026-03-31T17:00:00-08:00", "2026-04-01T01:00:00Z"},
		{"2026-03-31T17:00:00Z", "2026-03-31T17:00:00Z"},
		{"2026-03-31", "2026-04-01T07:59:59.999999999Z"}, // the end of the day in Anchorage (AKDT)
		{"2026-01-15", "2026-01-16T08:59:59.999999999Z"}, // AKST
		{"2026-03-31T17:00", "2026-04-01T01:00:00Z"},
		{"2026-03-31T17:00:30", "2026-04-01T01:00:30Z"},
		{"yesterday", ""},
		{"2026-02-30", ""},
		{"", ""},
	}
	checkParse(t, "ParseAsOf", queries.ParseAsOf, tests)
}

func TestParseFrom(t *testing.T) {
	tests := []parseCase{
		{"2026-03-31T17:00:00-08:00", "2026-04-01T01:00:00Z"},
		{"2026-03-31", "2026-03-31T08:00:00Z"}, // the start of the day in Anchorage (AKDT)
		{"2026-01-15", "2026-01-15T09:00:00Z"}, // AKST
		{"2026-03-31T17:00", "2026-04-01T01:00:00Z"},
		{"2026-02-30", ""},
		{"", ""},
	}
	checkParse(t, "ParseFrom", queries.ParseFrom, tests)
}

// parseCase is an input and the instant it reads as, in RFC 3339 in UTC; "" for an error.
type parseCase struct{ in, want string }

// checkParse runs parse, named name, over the cases.
func checkParse(t *testing.T, name string, parse func(string) (time.Time, error), tests []parseCase) {
	t.Helper()
	for _, tt := range tests {
		got, err := parse(tt.in)
		switch {
		case tt.want == "" && events.ErrorCode(err) != events.Invalid:
			t.Errorf("%s(%q) = %v, %v; want an invalid error", name, tt.in, got, err)
		case tt.want != "" && (err != nil || got.UTC().Format(time.RFC3339Nano) != tt.want):
			t.Errorf("%s(%q) = %s, %v; want %s", name, tt.in, got.UTC().Format(time.RFC3339Nano), err, tt.want)
		}
	}
}

func TestParseClock(t *testing.T) {
	for in, want := range map[string]events.Clock{"": events.Recorded, "recorded": events.Recorded, "occurred": events.Occurred} {
		if got, err := queries.ParseClock(in); err != nil || got != want {
			t.Errorf("ParseClock(%q) = %s, %v", in, got, err)
		}
	}
	if _, err := queries.ParseClock("wall"); events.ErrorCode(err) != events.Invalid {
		t.Errorf("ParseClock(wall) = %v", err)
	}
}

func TestAsOfParam(t *testing.T) {
	tests := []struct {
		query, want string
		ok          bool
	}{
		{"", "", true},
		{"as_of=2026-03-31", "2026-03-31", true},
		{"as-of=2026-03-31", "2026-03-31", true},
		{"as_of=2026-03-31&as-of=2026-03-31", "2026-03-31", true},
		{"as_of=2026-03-31&as-of=2026-04-01", "", false},
	}
	for _, tt := range tests {
		v, _ := url.ParseQuery(tt.query)
		got, err := queries.AsOfParam(v)
		var e *events.Error
		if got != tt.want || (err == nil) != tt.ok || (!tt.ok && (!errors.As(err, &e) || e.Code != events.Invalid || e.Field != "as_of")) {
			t.Errorf("AsOfParam(%q) = %q, %v; want %q, ok %t", tt.query, got, err, tt.want, tt.ok)
		}
	}
}
