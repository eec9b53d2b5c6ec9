package domain_test

import (
	"testing"

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
	} {
		t.Run(tt.name, func(t *testing.T) {
			lag, late := p.EntryLag(mustTime(tt.occurred), mustTime(tt.recorded))
			if lag != tt.lag || late != tt.late {
				t.Errorf("EntryLag = %d, %v; want %d, %v", lag, late, tt.lag, tt.late)
			}
		})
	}
	p.LateEntryBusinessDays = 3
	if _, late := p.EntryLag(mustTime("2026-03-13T15:00:00"), mustTime("2026-03-17T00:00:00")); late {
		t.Error("with three business days allowed, an entry two business days later is late")
	}
}
