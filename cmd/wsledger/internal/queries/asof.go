package queries

import (
	"cmp"
	"net/url"
	"time"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
)

// ParseAsOf reads an as-of instant: RFC 3339 with a zone, seconds optional; a date (YYYY-MM-DD), meaning the end
// of that day in Alaska; or a local time without a zone (YYYY-MM-DDTHH:MM[:SS]), read in
// America/Anchorage like every zoneless timestamp of the ledger.
func ParseAsOf(s string) (time.Time, error) {
	if t, ok := domain.ParseInstant(s); ok {
		return t, nil
	}
	if d, err := domain.ParseDate(s); err == nil {
		return d.End().Add(-time.Nanosecond), nil
	}
	return time.Time{}, events.Errorf(events.Invalid, "as_of",
		"as_of must be an instant (RFC 3339, like 2026-03-31T17:00:00-08:00), a local time in Anchorage (2026-03-31T17:00) or a date (2026-03-31, meaning the end of that day).")
}

// ParseFrom reads the start of a period as ParseAsOf reads its end, except that a date means the
// start of that day: a period from 2026-03-01 includes March 1.
func ParseFrom(s string) (time.Time, error) {
	if _, ok := domain.ParseInstant(s); !ok {
		if d, err := domain.ParseDate(s); err == nil {
			return d.Start(), nil
		}
	}
	return ParseAsOf(s)
}

// ParseClock reads a clock name; "" is the recorded clock.
func ParseClock(s string) (events.Clock, error) {
	switch events.Clock(s) {
	case "", events.Recorded:
		return events.Recorded, nil
	case events.Occurred:
		return events.Occurred, nil
	}
	return "", events.Errorf(events.Invalid, "clock",
		"clock must be recorded (what the ledger knew at as_of) or occurred (what had happened by as_of, as known now).")
}

// AsOfParam returns the as-of instant a query string asks for, as written: ?as_of=, or ?as-of=,
// the command line's spelling of the same parameter; "" when neither is given. Both with
// different values is an events.Error naming as_of, so that neither is silently ignored.
func AsOfParam(v url.Values) (string, error) {
	snake, dashed := v.Get("as_of"), v.Get("as-of")
	if snake != "" && dashed != "" && snake != dashed {
		return "", events.Errorf(events.Invalid, "as_of", "as_of and as-of are one parameter; give it once (they say %q and %q).", snake, dashed)
	}
	return cmp.Or(snake, dashed), nil
}
