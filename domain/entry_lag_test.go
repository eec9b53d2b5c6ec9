package domain_test

import (
	"testing"
	"time"

	"github.com/wsledger/wsledger/domain"
)

// TestEntryLag: an event is a late entry when recorded at or after the end of the business day
// after the day it happened; the lag counts business days between the two Alaska dates.
func TestEntryLag(t *testing.T) {
	p := domain.DefaultPolicy()
	for _, tt := range []struct {
		name, occurred, recorded string
		lag                      int
		late                     bool
	}{
		{"the same day", "2026-03-16T10:00:00", "2026-03-16T17:00:00", 0, false},
		{"Friday, entered on Monday", "2026-03-13T15:00:00", "2026-03-16T23:59:00", 1, false},
		{"Friday, entered on Tuesday", "2026-03-13T15:00:00", "2026-03-17T00:00:00", 2, true},
		{"Friday before Seward's Day, entered on Tuesday", "2026-03-27T15:00:00", "2026-03-31T16:00:00", 1, false},
		{"three weeks later", "2025-10-15T15:00:00", "2025-11-05T10:00:00", 14, true},
		{"30 December in Alaska (UTC), entered in the last second of 31 December", "2025-12-31T08:30:00Z", "2026-01-01T08:59:59Z", 1, false},
		{"30 December in Alaska (UTC), entered at midnight beginning New Year's Day", "2025-12-31T08:30:00Z", "2026-01-01T09:00:00Z", 1, true},
		{"the day before Juneteenth 2025, entered on the Friday", "2025-06-18T10:00:00", "2025-06-20T23:59:00", 1, false},
		{"the day before Juneteenth 2025, entered at midnight ending the Friday", "2025-06-18T10:00:00", "2025-06-21T00:00:00", 1, true},
		{"on Alaska Day (a Saturday), entered on the Monday", "2025-10-18T10:00:00", "2025-10-20T23:00:00", 1, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			lag, late := p.EntryLag(mustTime(tt.occurred), mustTime(tt.recorded))
			if lag != tt.lag || late != tt.late {
				t.Errorf("EntryLag = %d, %v; want %d, %v", lag, late, tt.lag, tt.late)
			}
			if got := p.EnteredLate(mustTime(tt.occurred), mustTime(tt.recorded)); got != tt.late {
				t.Errorf("EnteredLate = %v, want %v", got, tt.late)
			}
		})
	}
	p.LateEntryBusinessDays = 3
	if _, late := p.EntryLag(mustTime("2026-03-13T15:00:00"), mustTime("2026-03-17T00:00:00")); late {
		t.Error("with three business days allowed, an entry two business days later is late")
	}
}

// TestEnteredLateIsEntryLags: over every hour of a year and entries up to three weeks later,
// EnteredLate answers as EntryLag's second result.
func TestEnteredLateIsEntryLags(t *testing.T) {
	p := domain.DefaultPolicy()
	start := mustTime("2025-12-20T00:00:00")
	for h := 0; h < 24*380; h += 5 {
		occurred := start.Add(time.Duration(h) * time.Hour)
		for lag := time.Duration(0); lag < 21*24*time.Hour; lag += 7 * time.Hour {
			recorded := occurred.Add(lag)
			if _, want := p.EntryLag(occurred, recorded); p.EnteredLate(occurred, recorded) != want {
				t.Fatalf("occurred %s, recorded %s: EnteredLate = %v, EntryLag says %v", occurred, recorded, !want, want)
			}
		}
	}
	if p.EnteredLate(time.Time{}, start) || p.EnteredLate(start, time.Time{}) {
		t.Error("an instant left out makes an entry late")
	}
}
