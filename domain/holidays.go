package domain

import (
	"slices"
	"sync"
	"time"
)

// ruleKind says how a holiday rule picks its date in a year.
type ruleKind int

const (
	fixedDate   ruleKind = iota // the same month and day every year
	nthWeekday                  // the nth given weekday of the month
	lastWeekday                 // the last given weekday of the month
)

// holidayRule is one line of AS 44.12.010. A rule applies from fromYear on (0: always).
type holidayRule struct {
	name     string
	kind     ruleKind
	month    time.Month
	day      int          // fixedDate only
	weekday  time.Weekday // nthWeekday and lastWeekday only
	nth      int          // nthWeekday only
	fromYear int
}

// alaskaLegalHolidays is the list of legal holidays in AS 44.12.010. Update it here when the
// legislature changes the list; one-off closures a governor proclaims go to NewCalendar instead.
var alaskaLegalHolidays = []holidayRule{
	{name: "New Year's Day", kind: fixedDate, month: time.January, day: 1},
	{name: "Martin Luther King, Jr.'s Birthday", kind: nthWeekday, month: time.January, weekday: time.Monday, nth: 3},
	{name: "Presidents' Day", kind: nthWeekday, month: time.February, weekday: time.Monday, nth: 3},
	{name: "Seward's Day", kind: lastWeekday, month: time.March, weekday: time.Monday},
	{name: "Memorial Day", kind: lastWeekday, month: time.May, weekday: time.Monday},
	{name: "Juneteenth Day", kind: fixedDate, month: time.June, day: 19, fromYear: 2025},
	{name: "Independence Day", kind: fixedDate, month: time.July, day: 4},
	{name: "Labor Day", kind: nthWeekday, month: time.September, weekday: time.Monday, nth: 1},
	{name: "Alaska Day", kind: fixedDate, month: time.October, day: 18},
	{name: "Veterans' Day", kind: fixedDate, month: time.November, day: 11},
	{name: "Thanksgiving Day", kind: nthWeekday, month: time.November, weekday: time.Thursday, nth: 4},
	{name: "Christmas Day", kind: fixedDate, month: time.December, day: 25},
}

// dateIn returns the statutory date of the rule in year; ok is false before the rule applies.
func (r holidayRule) dateIn(year int) (d Date, ok bool) {
	if year < r.fromYear {
		return Date{}, false
	}
	switch r.kind {
	case nthWeekday:
		first := Month{year, r.month}.First()
		offset := (int(r.weekday) - int(first.Weekday()) + 7) % 7
		return first.AddDays(offset + 7*(r.nth-1)), true
	case lastWeekday:
		last := Month{year, r.month}.Last()
		offset := (int(last.Weekday()) - int(r.weekday) + 7) % 7
		return last.AddDays(-offset), true
	default:
		return Date{year, r.month, r.day}, true
	}
}

// observed returns the day state offices close for a holiday falling on d: the following
// Monday for a Sunday (AS 44.12.020), the preceding Friday for a Saturday.
func observed(d Date) Date {
	switch d.Weekday() {
	case time.Sunday:
		return d.AddDays(1)
	case time.Saturday:
		return d.AddDays(-1)
	default:
		return d
	}
}

// legalHolidays returns the holidays of AS 44.12.010 whose statutory date falls in year, in
// date order (the table is in date order and the rules never cross). The slice is shared: the
// caller must not change it.
func legalHolidays(year int) []Holiday {
	if hs, ok := holidaysByYear.Load(year); ok {
		return hs.([]Holiday)
	}
	hs := make([]Holiday, 0, len(alaskaLegalHolidays))
	for _, r := range alaskaLegalHolidays {
		if d, ok := r.dateIn(year); ok {
			hs = append(hs, Holiday{Name: r.name, Date: d, Observed: observed(d)})
		}
	}
	hs = slices.Clip(hs)
	holidaysByYear.Store(year, hs)
	return hs
}

// weekdayHolidays returns the day numbers (dayNumber) of the days, Monday to Friday, on which
// the legal holidays of year are observed. The slice is shared: the caller must not change it.
func weekdayHolidays(year int) []int {
	if dns, ok := weekdayHolidaysByYear.Load(year); ok {
		return dns.([]int)
	}
	var dns []int
	for _, h := range legalHolidays(year) {
		if wd := h.Observed.Weekday(); wd != time.Saturday && wd != time.Sunday {
			dns = append(dns, dayNumber(h.Observed))
		}
	}
	weekdayHolidaysByYear.Store(year, dns)
	return dns
}

// weekdayHolidaysByYear keeps weekdayHolidays of each year asked for.
var weekdayHolidaysByYear sync.Map // int -> []int

// holidaysByYear keeps legalHolidays of each year asked for: deriving obligations asks whether a
// day is a business day some ten times per deadline, and each question looks at three years.
var holidaysByYear sync.Map // int -> []Holiday
