package domain_test

import (
	"testing"
	"time"

	"github.com/wsledger/wsledger/domain"
)

func TestObligationStatusAndLate(t *testing.T) {
	p := domain.DefaultPolicy()
	// Due at the end of Wednesday 18 March 2026 in Anchorage.
	due := domain.Date{2026, time.March, 18}.End()
	local := func(s string) time.Time { return mustTime(s) }
	tests := []struct {
		name     string
		metAt    string
		now      string
		want     domain.Status
		wantLate time.Duration
	}{
		{"open a week ahead", "", "2026-03-11T09:00:00", domain.StatusOpen, 0},
		{"open three business days ahead", "", "2026-03-13T09:00:00", domain.StatusOpen, 0},
		{"due soon two business days ahead", "", "2026-03-16T09:00:00", domain.StatusDueSoon, 0},
		{"due soon on the day", "", "2026-03-18T23:59:59", domain.StatusDueSoon, 0},
		{"overdue at the deadline", "", "2026-03-19T00:00:00", domain.StatusOverdue, 0},
		{"overdue a day later", "", "2026-03-20T00:00:00", domain.StatusOverdue, 24 * time.Hour},
		{"met on time", "2026-03-17T10:00:00", "2026-03-20T00:00:00", domain.StatusMetOnTime, 0},
		{"met in the last second", "2026-03-18T23:59:59", "2026-03-25T00:00:00", domain.StatusMetOnTime, 0},
		{"met late", "2026-03-19T06:00:00", "2026-03-25T00:00:00", domain.StatusMetLate, 6 * time.Hour},
		{"met after now counts as open", "2026-03-19T06:00:00", "2026-03-18T12:00:00", domain.StatusDueSoon, 0},
		{"met after now, overdue at now", "2026-03-25T06:00:00", "2026-03-20T00:00:00", domain.StatusOverdue, 24 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := domain.Obligation{Due: due}
			if tt.metAt != "" {
				o.MetAt = local(tt.metAt)
			}
			now := local(tt.now)
			if got := o.Status(now, p); got != tt.want {
				t.Errorf("Status = %s, want %s", got, tt.want)
			}
			if got := o.Late(now); got != tt.wantLate {
				t.Errorf("Late = %v, want %v", got, tt.wantLate)
			}
		})
	}
}

func TestObligationDueSoonFollowsThePolicy(t *testing.T) {
	o := domain.Obligation{Due: domain.Date{2026, time.March, 18}.End()}
	now := mustTime("2026-03-13T09:00:00") // Friday; the 18th is three business days on
	p := domain.DefaultPolicy()
	if got := o.Status(now, p); got != domain.StatusOpen {
		t.Errorf("with 2 days: %s", got)
	}
	p.DueSoonBusinessDays = 3
	if got := o.Status(now, p); got != domain.StatusDueSoon {
		t.Errorf("with 3 days: %s", got)
	}
}
