package domain

import (
	"time"
)

// Anchorage is the time zone every date in the manual is read in.
var Anchorage = mustLoadLocation("America/Anchorage")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic("wsledger needs the time zone database (import time/tzdata): " + err.Error())
	}
	return loc
}

// Date is a calendar date in Alaska, without a time of day.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// Month is a calendar month, written YYYY-MM.
type Month struct {
	Year  int
	Month time.Month
}

// DateOf returns the Alaska calendar date of an instant.
func DateOf(t time.Time) Date { panic("not implemented") }

// ParseDate reads YYYY-MM-DD.
func ParseDate(s string) (Date, error) { panic("not implemented") }

// ParseMonth reads YYYY-MM.
func ParseMonth(s string) (Month, error) { panic("not implemented") }

// String returns YYYY-MM-DD.
func (d Date) String() string { panic("not implemented") }

// String returns YYYY-MM.
func (m Month) String() string { panic("not implemented") }

// Start returns local midnight at the start of the date in Alaska.
func (d Date) Start() time.Time { panic("not implemented") }

// End returns the instant the date ends in Alaska (local midnight of the next day). A deadline
// "by the end of d" is met by anything that happens strictly before End.
func (d Date) End() time.Time { panic("not implemented") }

// AddDays returns the date n calendar days later (earlier when n < 0).
func (d Date) AddDays(n int) Date { panic("not implemented") }

// MonthOf returns the month the date falls in.
func (d Date) MonthOf() Month { panic("not implemented") }

// First and Last return the month's first and last dates; Next and Prev its neighbours.
func (m Month) First() Date { panic("not implemented") }
func (m Month) Last() Date  { panic("not implemented") }
func (m Month) Next() Month { panic("not implemented") }
func (m Month) Prev() Month { panic("not implemented") }

// Before reports whether d is earlier than o.
func (d Date) Before(o Date) bool { panic("not implemented") }

// Holiday is one legal holiday and the date state offices observe it.
type Holiday struct {
	Name     string
	Date     Date // the statutory date
	Observed Date // the weekday state offices close
}

// Calendar knows Alaska's business days: Monday to Friday less observed legal holidays and
// proclaimed closures.
type Calendar struct {
	closures map[Date]string
}

// NewCalendar returns Alaska's calendar (AS 44.12.010) plus the given proclaimed closures.
func NewCalendar(closures map[Date]string) *Calendar { panic("not implemented") }

// Holidays returns the year's legal holidays with their observed dates, in date order.
func (c *Calendar) Holidays(year int) []Holiday { panic("not implemented") }

// IsBusinessDay reports whether state offices are open on d.
func (c *Calendar) IsBusinessDay(d Date) bool { panic("not implemented") }

// AddBusinessDays returns the n-th business day after d (d itself excluded, AS 01.10.080).
func (c *Calendar) AddBusinessDays(d Date, n int) Date { panic("not implemented") }

// WithinBusinessDays returns the deadline instant for "within n business days of t": the end
// of the n-th business day after t's Alaska date.
func (c *Calendar) WithinBusinessDays(t time.Time, n int) time.Time { panic("not implemented") }

// LastBusinessDay returns the month's last business day.
func (c *Calendar) LastBusinessDay(m Month) Date { panic("not implemented") }

// ThirtiethOfNextMonth returns the 30th of the month after m, or the last day of February when
// that month is February.
func ThirtiethOfNextMonth(m Month) Date { panic("not implemented") }

// BusinessDaysAfterThe20th returns the n-th business day after the 20th of m.
func (c *Calendar) BusinessDaysAfterThe20th(m Month, n int) Date { panic("not implemented") }
