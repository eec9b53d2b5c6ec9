package domain

import "time"

// ParseInstant reads an RFC 3339 timestamp, or one without a zone as local time in Alaska. No
// text is both, so the form the text looks like is tried first, to spare a failed parse.
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
	return t, err == nil
}

func parseLocal(s string) (time.Time, bool) {
	t, err := time.ParseInLocation("2006-01-02T15:04:05.999999999", s, Anchorage)
	return t, err == nil
}
