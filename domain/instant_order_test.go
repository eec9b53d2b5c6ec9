package domain

import (
	"testing"
	"time"
)

// referenceInstant is ParseInstant written plainly: RFC 3339, else local time in Alaska, each
// also without seconds.
func referenceInstant(s string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, true
	}
	if t, err := time.ParseInLocation("2006-01-02T15:04:05.999999999", s, Anchorage); err == nil {
		return t, true
	}
	if t, err := time.Parse("2006-01-02T15:04Z07:00", s); err == nil {
		return t, true
	}
	if t, err := time.ParseInLocation("2006-01-02T15:04", s, Anchorage); err == nil {
		return t, true
	}
	return time.Time{}, false
}

// sameInstant reports whether two parsed times are the same instant in the same zone. Each parse
// of an offset makes a new zone, so the zones are compared by name and offset.
func sameInstant(a, b time.Time) bool {
	an, ao := a.Zone()
	bn, bo := b.Zone()
	return a.Equal(b) && an == bn && ao == bo && a.Location().String() == b.Location().String()
}

var instantSamples = []string{
	"", "Z", "2026-03-30T09:15:00Z", "2026-03-30T09:15:00z", "2026-03-30T09:15:00-08:00",
	"2026-03-30T09:15:00+01:00", "2026-03-30T09:15:00.123456789+01:00", "2026-03-30T09:15:00",
	"2026-03-30T09:15:00.5", "2026-03-30T09:15:00.", "2026-03-30T09:15:00+0100", "2026-03-30",
	"2026-03-30 09:15:00", "2026-03-30T24:00:00", "2026-02-30T09:15:00", "2026-03-30T09:15:00-08:00Z",
	"0000-01-10T0:00:00+00:01", "2026-03-30T09:15", "2026-03-30T09:15Z", "2026-03-30T09:15-08:00",
	"2026-03-30T9:15", "2026-03-30T09:15:", "2026-03-30T09:15+0100",
}

func TestParseInstantMatchesReference(t *testing.T) {
	for _, s := range instantSamples {
		got, ok := ParseInstant(s)
		want, wantOK := referenceInstant(s)
		if ok != wantOK || !sameInstant(got, want) {
			t.Errorf("ParseInstant(%q) = %v, %v; reference %v, %v", s, got, ok, want, wantOK)
		}
	}
}

func FuzzParseInstantMatchesReference(f *testing.F) {
	for _, s := range instantSamples {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := ParseInstant(s)
		want, wantOK := referenceInstant(s)
		if ok != wantOK || !sameInstant(got, want) {
			t.Fatalf("ParseInstant(%q) = %v, %v; reference %v, %v", s, got, ok, want, wantOK)
		}
	})
}

func TestParseInstant(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2026-03-30T09:15:00Z", time.Date(2026, 3, 30, 9, 15, 0, 0, time.UTC), true},
		{"2026-03-30T09:15:00-08:00", time.Date(2026, 3, 30, 17, 15, 0, 0, time.UTC), true},
		{"2026-01-15T09:15:00", time.Date(2026, 1, 15, 18, 15, 0, 0, time.UTC), true}, // AKST, UTC-9
		{"2026-01-15T09:15:00.5", time.Date(2026, 1, 15, 18, 15, 0, 5e8, time.UTC), true},
		{"2026-01-15T09:15", time.Date(2026, 1, 15, 18, 15, 0, 0, time.UTC), true},
		{"2026-07-15T09:15", time.Date(2026, 7, 15, 17, 15, 0, 0, time.UTC), true}, // AKDT, UTC-8
		{"2026-03-30T09:15-08:00", time.Date(2026, 3, 30, 17, 15, 0, 0, time.UTC), true},
		{"2026-03-30T09:15Z", time.Date(2026, 3, 30, 9, 15, 0, 0, time.UTC), true},
		{"2026-01-15", time.Time{}, false},
		{"2026-01-15 09:15:00", time.Time{}, false},
		{"yesterday", time.Time{}, false},
	}
	for _, tt := range tests {
		got, ok := ParseInstant(tt.in)
		if ok != tt.ok || !got.Equal(tt.want) {
			t.Errorf("ParseInstant(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
