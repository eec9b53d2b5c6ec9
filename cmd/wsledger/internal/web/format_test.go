package web

import (
	"testing"
	"time"

	"github.com/wsledger/wsledger/domain"
)

func ak(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, domain.Anchorage)
	if err != nil {
		panic(err)
	}
	return t
}

func TestAlaskaTime(t *testing.T) {
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Date(2026, 11, 23, 18, 0, 0, 0, time.UTC), "Mon 23 Nov 2026, 9:00 AM AKST"},
		{time.Date(2026, 7, 4, 0, 30, 0, 0, time.UTC), "Fri 3 Jul 2026, 4:30 PM AKDT"},
		{time.Time{}, "—"},
	}
	for _, tt := range tests {
		if got := alaskaTime(tt.in); got != tt.want {
			t.Errorf("alaskaTime(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for in, want := range map[string]string{"2026-02": "Feb 2026", "2025-Q4": "Q4 2025", "2025-Q5": "2025-Q5", "FY2026": "FY2026"} {
		if got := periodName(in); got != want {
			t.Errorf("periodName(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[time.Time]string{
		ak("2025-12-02 00:00"): "Mon 1 Dec 2025, end of day AKST",
		ak("2026-03-09 00:00"): "Sun 8 Mar 2026, end of day AKDT", // clocks went forward that morning
		ak("2026-11-10 14:30"): "Tue 10 Nov 2026, 2:30 PM AKST",
	} {
		if got := dueTime(in); got != want {
			t.Errorf("dueTime(%v) = %q, want %q", in, got, want)
		}
	}
}

// Due instants are the first instant of lateness: midnight after the last day allowed.
func TestLatenessAndDueIn(t *testing.T) {
	cal := domain.DefaultPolicy().Calendar
	tests := []struct {
		name     string
		due, now time.Time
		late, in string
	}{
		{"three business days over a weekend", ak("2026-11-14 00:00"), ak("2026-11-18 10:00"), "Overdue by 3 business days", ""},
		{"Thanksgiving is not counted", ak("2026-11-25 00:00"), ak("2026-11-27 09:00"), "Overdue by 2 business days", ""},
		{"a missed Friday counts on the weekend", ak("2026-12-04 00:00"), ak("2026-12-06 10:00"), "Overdue by 1 business day", ""},
		{"three business days missed, seen on Sunday", ak("2026-12-02 00:00"), ak("2026-12-06 10:00"), "Overdue by 3 business days", ""},
		{"late within the first late day, a Saturday", ak("2026-11-21 00:00"), ak("2026-11-21 10:00"), "Overdue by 10 hours", ""},
		{"late by hours on the day after", ak("2026-11-18 00:00"), ak("2026-11-18 05:30"), "Overdue by 5 hours 30 minutes", ""},
		{"late over a weekend only", ak("2026-11-21 00:00"), ak("2026-11-22 12:00"), "Overdue by 1 day 12 hours", ""},
		{"due later today", ak("2026-11-19 00:00"), ak("2026-11-18 15:00"), "", "Due today, in 9 hours"},
		{"due in two business days", ak("2026-11-21 00:00"), ak("2026-11-18 15:00"), "", "Due in 2 business days"},
		{"24-hour clock", ak("2026-11-19 14:00"), ak("2026-11-18 15:00"), "", "Due in 1 business day"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := lateness(cal, tt.due, tt.now); got != tt.late {
				t.Errorf("lateness = %q, want %q", got, tt.late)
			}
			if got := dueIn(cal, tt.due, tt.now); got != tt.in {
				t.Errorf("dueIn = %q, want %q", got, tt.in)
			}
		})
	}
}

func TestDescribeSaysItInWords(t *testing.T) {
	cal := domain.DefaultPolicy().Calendar
	due, now := ak("2026-11-14 00:00"), ak("2026-11-18 10:00")
	tests := []struct {
		status domain.Status
		met    time.Time
		want   statusText
	}{
		{domain.StatusOverdue, time.Time{}, statusText{"overdue", "⚠", "Overdue by 3 business days"}},
		{domain.StatusMetOnTime, ak("2026-11-13 12:00"), statusText{"met_on_time", "✓", "Met on time"}},
		{domain.StatusMetLate, ak("2026-11-17 12:00"), statusText{"met_late", "✓", "Met 2 business days late"}},
	}
	for _, tt := range tests {
		if got := describe(cal, tt.status, due, tt.met, now); got != tt.want {
			t.Errorf("describe(%s) = %+v, want %+v", tt.status, got, tt.want)
		}
	}
}
