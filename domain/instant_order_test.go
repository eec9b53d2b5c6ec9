package domain

import (
	"testing"
	"time"
)

// referenceInstant is parseInstant as first written: RFC 3339, else local time in Alaska.
func referenceInstant(s string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, true
	}
	if t, err := time.ParseInLocation("2006-01-02T15:04:05.999999999", s, Anchorage); err == nil {
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
	"0000-01-10T0:00:00+00:01",
}

func TestParseInstantMatchesReference(t *testing.T) {
	for _, s := range instantSamples {
		got, ok := parseInstant(s)
		want, wantOK := referenceInstant(s)
		if ok != wantOK || !sameInstant(got, want) {
			t.Errorf("parseInstant(%q) = %v, %v; reference %v, %v", s, got, ok, want, wantOK)
		}
	}
}

func FuzzParseInstantMatchesReference(f *testing.F) {
	for _, s := range instantSamples {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseInstant(s)
		want, wantOK := referenceInstant(s)
		if ok != wantOK || !sameInstant(got, want) {
			t.Fatalf("parseInstant(%q) = %v, %v; reference %v, %v", s, got, ok, want, wantOK)
		}
	})
}
