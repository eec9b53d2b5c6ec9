package domain

import (
	"cmp"
	"fmt"
	"slices"
	"time"
	_ "time/tzdata" // the binary carries its own zone database, so Anchorage loads anywhere

	"github.com/wsledger/wsledger/events"
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

// civil returns noon UTC of the date. Calendar arithmetic is done in UTC, which has no daylight
// saving time, so adding days never lands on the wrong date; time.Date normalises overflowing
// days and months.
func (d Date) civil() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC)
}

func dateOfCivil(t time.Time) Date {
	y, m, day := t.Date()
	return Date{y, m, day}
}

// DateOf returns the Alaska calendar date of an instant.
func DateOf(t time.Time) Date { return dateOfCivil(t.In(Anchorage)) }

// ParseDate reads YYYY-MM-DD. The error is an *events.Error with code invalid and no field; the
// caller names the field.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, events.Errorf(events.Invalid, "", "A date must be a real calendar day written YYYY-MM-DD, for example 2026-03-30.")
	}
	return dateOfCivil(t), nil
}

// ParseMonth reads YYYY-MM. The error is an *events.Error with code invalid and no field; the
// caller names the field.
func ParseMonth(s string) (Month, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil {
		return Month{}, events.Errorf(events.Invalid, "", "A month must be written YYYY-MM, for example 2026-03.")
	}
	return Month{t.Year(), t.Month()}, nil
}

// String returns YYYY-MM-DD.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day) }

// String returns YYYY-MM.
func (m Month) String() string {
	if m.Year < 0 || m.Year > 9999 {
		return fmt.Sprintf("%04d-%02d", m.Year, int(m.Month))
	}
	// Every applied event names its month: built without fmt, it costs one allocation.
	b := [7]byte{'0' + byte(m.Year/1000), '0' + byte(m.Year/100%10), '0' + byte(m.Year/10%10), '0' + byte(m.Year%10), '-', '0' + byte(m.Month/10), '0' + byte(m.Month%10)}
	return string(b[:])
}

// Start returns local midnight at the start of the date in Alaska.
func (d Date) Start() time.Time {
	// Alaska changes its clocks at 02:00, so local midnight always exists and is unique.
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, Anchorage)
}

// End returns the instant the date ends in Alaska (local midnight of the next day). A deadline
// "by the end of d" is met by anything that happens strictly before End.
func (d Date) End() time.Time { return d.AddDays(1).Start() }

// AddDays returns the date n calendar days later (earlier when n < 0).
func (d Date) AddDays(n int) Date { return dateOfDayNumber(dayNumber(d) + n) }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return weekdayOfNumber(dayNumber(d)) }

// MonthOf returns the month the date falls in.
func (d Date) MonthOf() Month { return Month{d.Year, d.Month} }

// First and Last return the month's first and last dates; Next and Prev its neighbours.
func (m Month) First() Date { return Date{m.Year, m.Month, 1} }
func (m Month) Last() Date  { return m.Next().First().AddDays(-1) }
func (m Month) Next() Month { return m.addMonths(1) }
func (m Month) Prev() Month { return m.addMonths(-1) }

// addMonths counts from the first of the month, so no day overflows into a third month.
func (m Month) addMonths(n int) Month {
	return dateOfCivil(m.First().civil().AddDate(0, n, 0)).MonthOf()
}

// Compare returns -1, 0 or +1 as d is before, equal to or after o.
func (d Date) Compare(o Date) int { return cmp.Compare(dayNumber(d), dayNumber(o)) }

// Before reports whether d is earlier than o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// Holiday is one legal holiday and the date state offices observe it.
type Holiday struct {
	Name     string
	Date     Date // the statutory date
	Observed Date // the weekday state offices close
}

// Calendar knows Alaska's business days: Monday to Friday less observed legal holidays and
// proclaimed closures. It is never changed after NewCalendar, so it is safe for concurrent use.
type Calendar struct {
	closures map[Date]string
}

// NewCalendar returns Alaska's calendar (AS 44.12.010) plus the given proclaimed closures: days
// a governor or the President proclaims a holiday, each with its name. The map is copied.
func NewCalendar(closures map[Date]string) *Calendar {
	c := &Calendar{closures: make(map[Date]string, len(closures))}
	for d, name := range closures {
		c.closures[d.AddDays(0)] = name // normalised, so 2026-02-30 means 2026-03-02
	}
	return c
}

// Holidays returns the year's legal holidays with their observed dates, in date order: the
// holidays of AS 44.12.010 whose statutory date falls in year, and the proclaimed closures dated
// in year (their Date and Observed are the same). An observed date can fall in the neighbouring
// year: New Year's Day on a Saturday is observed on the Friday before, 31 December.
func (c *Calendar) Holidays(year int) []Holiday {
	hs := slices.Clone(legalHolidays(year))
	for d, name := range c.closures {
		if d.Year == year {
			hs = append(hs, Holiday{Name: name, Date: d, Observed: d})
		}
	}
	slices.SortStableFunc(hs, func(a, b Holiday) int { return a.Date.Compare(b.Date) })
	return hs
}

// HolidayOn returns the legal holiday observed, or the closure proclaimed, on d.
func (c *Calendar) HolidayOn(d Date) (Holiday, bool) {
	if name, ok := c.closures[d]; ok {
		return Holiday{Name: name, Date: d, Observed: d}, true
	}
	// An observed date is at most one day from the statutory one, so only the years of d's
	// neighbours can hold a holiday observed on d.
	for year := d.AddDays(-1).Year; year <= d.AddDays(1).Year; year++ {
		for _, h := range legalHolidays(year) {
			if h.Observed == d {
				return h, true
			}
		}
	}
	return Holiday{}, false
}

// IsBusinessDay reports whether state offices are open on d.
func (c *Calendar) IsBusinessDay(d Date) bool { return c.businessDay(dayNumber(d)) }

// businessDay is IsBusinessDay of a day number: deriving a provider's obligations asks it some
// ten times per deadline, so it reads the memoised day numbers of the holidays and builds no
// dates beyond the one a closure is looked up by.
func (c *Calendar) businessDay(dn int) bool {
	if wd := weekdayOfNumber(dn); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	d := dateOfDayNumber(dn)
	if _, closed := c.closures[d]; closed {
		return false
	}
	// A holiday is observed at most a day from its statutory date, so only the lists of d's
	// year and its neighbours can hold d.
	for y := d.Year - 1; y <= d.Year+1; y++ {
		if slices.Contains(weekdayHolidays(y), dn) {
			return false
		}
	}
	return true
}

// AddBusinessDays returns the n-th business day after d (d itself excluded, AS 01.10.080).
// A negative n counts back to the |n|-th business day before d; n = 0 returns d, business day
// or not.
func (c *Calendar) AddBusinessDays(d Date, n int) Date {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	if n == 0 {
		return d
	}
	dn := dayNumber(d)
	for n > 0 {
		dn += step
		if c.businessDay(dn) {
			n--
		}
	}
	return dateOfDayNumber(dn)
}

// WithinBusinessDays returns the deadline instant for "within n business days of t": the end
// of the n-th business day after t's Alaska date.
func (c *Calendar) WithinBusinessDays(t time.Time, n int) time.Time {
	return c.AddBusinessDays(DateOf(t), n).End()
}

// LastBusinessDay returns the month's last business day.
func (c *Calendar) LastBusinessDay(m Month) Date {
	d := m.Last()
	for !c.IsBusinessDay(d) {
		d = d.AddDays(-1)
	}
	return d
}

// ThirtiethOfNextMonth returns the 30th of the month after m, or the last day of February when
// that month is February. The date is not moved off weekends or holidays: the manual names the
// day itself ("due on the 30th of the month following").
func ThirtiethOfNextMonth(m Month) Date {
	next := m.Next()
	if next.Month == time.February {
		return next.Last()
	}
	return Date{next.Year, next.Month, 30}
}

// BusinessDaysAfterThe20th returns the n-th business day after the 20th of m.
func (c *Calendar) BusinessDaysAfterThe20th(m Month, n int) Date {
	return c.AddBusinessDays(Date{m.Year, m.Month, 20}, n)
}

// BusinessDaysBetween counts the business days after from up to and including to (0 when to is
// not after from). It does not walk the days: it counts weekdays by whole weeks and subtracts the
// observed holidays and closures that fall on weekdays in between, so it costs the same for a day
// as for a decade.
func (c *Calendar) BusinessDaysBetween(from, to Date) int {
	first, last := dayNumber(from)+1, dayNumber(to)
	if last < first {
		return 0
	}
	n := weekdaysUpTo(last) - weekdaysUpTo(first-1)
	closedWeekday := func(d Date) bool {
		dn := dayNumber(d)
		return dn >= first && dn <= last && d.Weekday() != time.Saturday && d.Weekday() != time.Sunday
	}
	// Each legal holiday is observed on a day of its own; the shared, memoised day numbers are
	// read without building a set, since the dashboard asks this for every late obligation it
	// shows, some of them years late.
	for y := from.Year - 1; y <= to.Year+1; y++ {
		for _, dn := range weekdayHolidays(y) {
			if dn >= first && dn <= last {
				n--
			}
		}
	}
	for d := range c.closures {
		if closedWeekday(d) && !legalHolidayObserved(d) {
			n--
		}
	}
	return n
}

// legalHolidayObserved reports whether a legal holiday is observed on d.
func legalHolidayObserved(d Date) bool {
	for year := d.AddDays(-1).Year; year <= d.AddDays(1).Year; year++ {
		for _, h := range legalHolidays(year) {
			if h.Observed == d {
				return true
			}
		}
	}
	return false
}

// dayNumber numbers dates consecutively (days since 1970-01-01), by integer arithmetic on the
// proleptic Gregorian calendar (H. Hinnant's days_from_civil). A day or month out of range
// counts on, as time.Date normalises it.
func dayNumber(d Date) int {
	y, m := d.Year, int(d.Month)
	if m < 1 || m > 12 {
		y, m = y+floorDiv(m-1, 12), m-12*floorDiv(m-1, 12)
	}
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400                      // [0, 399]
	doy := (153*((m+9)%12)+2)/5 + d.Day - 1 // day of the year counted from 1 March
	doe := yoe*365 + yoe/4 - yoe/100 + doy  // [0, 146096] for a day in range
	return era*146097 + doe - 719468        // 719468: 1970-01-01 counted from 0000-03-01
}

// dateOfDayNumber is the date of a day number (civil_from_days, dayNumber's inverse).
func dateOfDayNumber(n int) Date {
	n += 719468
	era := floorDiv(n, 146097)
	doe := n - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	day, m, y := doy-(153*mp+2)/5+1, mp+3, yoe+era*400
	if m > 12 {
		m, y = m-12, y+1
	}
	return Date{y, time.Month(m), day}
}

// weekdayOfNumber is the day of the week of a day number; 1970-01-01 was a Thursday.
func weekdayOfNumber(n int) time.Weekday { return time.Weekday(n + 4 - 7*floorDiv(n+4, 7)) }

// weekdaysUpTo counts the Mondays to Fridays from an arbitrary origin through day number n.
// Day 0, 1970-01-01, was a Thursday; shifting by 3 makes day numbers count from a Monday.
func weekdaysUpTo(n int) int {
	m := n + 3 // days since Monday 1969-12-29
	weeks, rest := floorDiv(m, 7), m-7*floorDiv(m, 7)
	return weeks*5 + min(rest+1, 5)
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}
