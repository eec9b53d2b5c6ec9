package domain

import "time"

// ParseInstant reads an RFC 3339 timestamp, or one without a zone as local time in Alaska; either
// may leave out the seconds (2026-03-30T09:15), as the views' as-of instants may. No text is both
// zoned and local, so the form the text looks like is tried first, to spare a failed parse.
func ParseInstant(s string) (time.Time, bool) {
	first, second := parseRFC3339, parseLocal
	if n := len(s); n > 0 && s[n-1] != 'Z' && s[n-1] != 'z' && (n < 6 || s[n-6] != '+' && s[n-6] != '-') {
		first, second = parseLocal, parseRFC3339
	}
	if t, ok := first(s); ok {
		return t, true
	}
	return second(s)
}

func parseRFC3339(s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t, err = time.Parse("2006-01-02T15:04Z07:00", s)
	}
	return t, err == nil
}

func parseLocal(s string) (time.Time, bool) {
	t, err := time.ParseInLocation("2006-01-02T15:04:05.999999999", s, Anchorage)
	if err != nil {
		t, err = time.ParseInLocation("2006-01-02T15:04", s, Anchorage)
	}
	return t, err == nil
}
