package domain

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/wsledger/wsledger/events"
)

// d builds a Date literal for tables; it does not validate.
func d(year int, month time.Month, day int) Date { return Date{year, month, day} }

// holidayCase is one legal holiday as read off a printed calendar.
type holidayCase struct {
	name     string
	date     Date
	observed Date
}

// realHolidays lists the holidays of 2025, 2026 and 2027 computed by hand from a calendar.
var realHolidays = map[int][]holidayCase{
	2025: {
		{"New Year's Day", d(2025, 1, 1), d(2025, 1, 1)},                       // Wednesday
		{"Martin Luther King, Jr.'s Birthday", d(2025, 1, 20), d(2025, 1, 20)}, // Mondays 6, 13, 20
		{"Presidents' Day", d(2025, 2, 17), d(2025, 2, 17)},                    // Mondays 3, 10, 17
		{"Seward's Day", d(2025, 3, 31), d(2025, 3, 31)},                       // last Monday
		{"Memorial Day", d(2025, 5, 26), d(2025, 5, 26)},                       // last Monday
		{"Juneteenth Day", d(2025, 6, 19), d(2025, 6, 19)},                     // Thursday, first year
		{"Independence Day", d(2025, 7, 4), d(2025, 7, 4)},                     // Friday
		{"Labor Day", d(2025, 9, 1), d(2025, 9, 1)},                            // September 1 is a Monday
		{"Alaska Day", d(2025, 10, 18), d(2025, 10, 17)},                       // Saturday -> Friday
		{"Veterans' Day", d(2025, 11, 11), d(2025, 11, 11)},                    // Tuesday
		{"Thanksgiving Day", d(2025, 11, 27), d(2025, 11, 27)},                 // Thursdays 6, 13, 20, 27
		{"Christmas Day", d(2025, 12, 25), d(2025, 12, 25)},                    // Thursday
	},
	2026: {
		{"New Year's Day", d(2026, 1, 1), d(2026, 1, 1)},                       // Thursday
		{"Martin Luther King, Jr.'s Birthday", d(2026, 1, 19), d(2026, 1, 19)}, // Mondays 5, 12, 19
		{"Presidents' Day", d(2026, 2, 16), d(2026, 2, 16)},                    // Mondays 2, 9, 16
		{"Seward's Day", d(2026, 3, 30), d(2026, 3, 30)},                       // last Monday
		{"Memorial Day", d(2026, 5, 25), d(2026, 5, 25)},                       // last Monday
		{"Juneteenth Day", d(2026, 6, 19), d(2026, 6, 19)},                     // Friday
		{"Independence Day", d(2026, 7, 4), d(2026, 7, 3)},                     // Saturday -> Friday
		{"Labor Day", d(2026, 9, 7), d(2026, 9, 7)},                            // September 1 is a Tuesday
		{"Alaska Day", d(2026, 10, 18), d(2026, 10, 19)},                       // Sunday -> Monday
		{"Veterans' Day", d(2026, 11, 11), d(2026, 11, 11)},                    // Wednesday
		{"Thanksgiving Day", d(2026, 11, 26), d(2026, 11, 26)},                 // Thursdays 5, 12, 19, 26
		{"Christmas Day", d(2026, 12, 25), d(2026, 12, 25)},                    // Friday
	},
	2027: {
		{"New Year's Day", d(2027, 1, 1), d(2027, 1, 1)},                       // Friday
		{"Martin Luther King, Jr.'s Birthday", d(2027, 1, 18), d(2027, 1, 18)}, // Mondays 4, 11, 18
		{"Presidents' Day", d(2027, 2, 15), d(2027, 2, 15)},                    // Mondays 1, 8, 15
		{"Seward's Day", d(2027, 3, 29), d(2027, 3, 29)},                       // last Monday
		{"Memorial Day", d(2027, 5, 31), d(2027, 5, 31)},                       // last Monday
		{"Juneteenth Day", d(2027, 6, 19), d(2027, 6, 18)},                     // Saturday -> Friday
		{"Independence Day", d(2027, 7, 4), d(2027, 7, 5)},                     // Sunday -> Monday
		{"Labor Day", d(2027, 9, 6), d(2027, 9, 6)},                            // September 1 is a Wednesday
		{"Alaska Day", d(2027, 10, 18), d(2027, 10, 18)},                       // Monday
		{"Veterans' Day", d(2027, 11, 11), d(2027, 11, 11)},                    // Thursday
		{"Thanksgiving Day", d(2027, 11, 25), d(2027, 11, 25)},                 // Thursdays 4, 11, 18, 25
		{"Christmas Day", d(2027, 12, 25), d(2027, 12, 24)},                    // Saturday -> Friday
	},
}

func TestHolidaysOfRealYears(t *testing.T) {
	cal := NewCalendar(nil)
	for year, want := range realHolidays {
		got := cal.Holidays(year)
		if len(got) != len(want) {
			t.Fatalf("Holidays(%d) has %d holidays, want %d: %v", year, len(got), len(want), got)
		}
		for i, w := range want {
			if got[i] != (Holiday{Name: w.name, Date: w.date, Observed: w.observed}) {
				t.Errorf("Holidays(%d)[%d] = %+v, want %s on %s observed %s", year, i, got[i], w.name, w.date, w.observed)
			}
			if cal.IsBusinessDay(w.observed) {
				t.Errorf("%s %d observed on %s: IsBusinessDay = true", w.name, year, w.observed)
			}
		}
	}
}

func TestIsBusinessDay(t *testing.T) {
	tests := []struct {
		name string
		date Date
		want bool
	}{
		{"ordinary Wednesday", d(2026, 3, 4), true},
		{"Saturday", d(2026, 3, 7), false},
		{"Sunday", d(2026, 3, 8), false},
		{"Juneteenth 2024 is before the holiday existed", d(2024, 6, 19), true},
		{"Juneteenth 2022, a federal holiday only, is a business day in Alaska", d(2022, 6, 20), true},
		{"Indigenous Peoples' Day 2025 (second Monday of October) is not a legal holiday", d(2025, 10, 13), true},
		{"Indigenous Peoples' Day 2026 is not a legal holiday", d(2026, 10, 12), true},
		{"Juneteenth 2025", d(2025, 6, 19), false},
		{"Friday before Alaska Day on a Saturday", d(2025, 10, 17), false},
		{"Monday after Alaska Day on a Sunday", d(2026, 10, 19), false},
		{"Friday before Independence Day on a Saturday", d(2026, 7, 3), false},
		{"Monday after Independence Day on a Sunday", d(2027, 7, 5), false},
		{"Friday 31 December 2027 observes New Year's Day 2028", d(2027, 12, 31), false},
		{"Thursday 30 December 2027", d(2027, 12, 30), true},
		{"day after Thanksgiving is not a legal holiday", d(2026, 11, 27), true},
		{"leap day 2028", d(2028, 2, 29), true},
		{"Presidents' Day 2028", d(2028, 2, 21), false},
	}
	cal := NewCalendar(nil)
	for _, tt := range tests {
		if got := cal.IsBusinessDay(tt.date); got != tt.want {
			t.Errorf("%s: IsBusinessDay(%s) = %v, want %v", tt.name, tt.date, got, tt.want)
		}
	}
}

func TestHolidayOnNamesTheHolidayOfTheNeighbouringYear(t *testing.T) {
	h, ok := NewCalendar(nil).HolidayOn(d(2027, 12, 31))
	want := Holiday{Name: "New Year's Day", Date: d(2028, 1, 1), Observed: d(2027, 12, 31)}
	if !ok || h != want {
		t.Errorf("HolidayOn(2027-12-31) = %+v, %v; want %+v", h, ok, want)
	}
	if h, ok := NewCalendar(nil).HolidayOn(d(2026, 10, 18)); ok {
		t.Errorf("HolidayOn(2026-10-18) = %+v; Alaska Day on a Sunday is observed on the Monday", h)
	}
}

func TestClosures(t *testing.T) {
	cal := NewCalendar(map[Date]string{d(2026, 12, 24): "Christmas Eve (proclaimed)", d(2026, 10, 30): "Proclaimed closure"})
	if cal.IsBusinessDay(d(2026, 12, 24)) {
		t.Error("a proclaimed closure is a business day")
	}
	if got, want := cal.AddBusinessDays(d(2026, 12, 23), 1), d(2026, 12, 28); got != want {
		t.Errorf("AddBusinessDays(2026-12-23, 1) with a closure on the 24th = %s, want %s", got, want)
	}
	if got, want := cal.LastBusinessDay(Month{2026, time.October}), d(2026, 10, 29); got != want {
		t.Errorf("LastBusinessDay(2026-10) with a closure on the 30th = %s, want %s", got, want)
	}
	hs := cal.Holidays(2026)
	if len(hs) != 14 || hs[10].Name != "Veterans' Day" || hs[9].Name != "Proclaimed closure" || hs[13].Name != "Christmas Day" || hs[12].Name != "Christmas Eve (proclaimed)" {
		t.Errorf("Holidays(2026) with closures = %v", hs)
	}
	if !NewCalendar(nil).IsBusinessDay(d(2026, 12, 24)) {
		t.Error("a closure leaked into another calendar")
	}
}

func TestAddBusinessDays(t *testing.T) {
	tests := []struct {
		name string
		from Date
		n    int
		want Date
	}{
		{"zero is the day itself", d(2026, 3, 4), 0, d(2026, 3, 4)},
		{"zero on a Saturday is still the day itself", d(2026, 3, 7), 0, d(2026, 3, 7)},
		{"next day", d(2026, 3, 4), 1, d(2026, 3, 5)},
		{"Friday to Monday over a weekend", d(2026, 3, 6), 1, d(2026, 3, 9)},
		{"Friday over the weekend and Seward's Day", d(2026, 3, 27), 1, d(2026, 3, 31)},
		{"from a Saturday before Seward's Day", d(2026, 3, 28), 1, d(2026, 3, 31)},
		{"from an observed holiday", d(2026, 10, 19), 1, d(2026, 10, 20)},
		{"from a Sunday statutory holiday", d(2026, 10, 18), 1, d(2026, 10, 20)},
		{"month end", d(2026, 1, 30), 1, d(2026, 2, 2)},
		{"year end over New Year's Day", d(2026, 12, 30), 2, d(2027, 1, 4)},
		{"over Christmas observed on Friday 24th", d(2027, 12, 23), 1, d(2027, 12, 27)},
		{"over New Year's Day 2028 observed in 2027", d(2027, 12, 30), 1, d(2028, 1, 3)},
		{"ten days over Thanksgiving", d(2026, 11, 16), 10, d(2026, 12, 1)},
		{"onto leap day", d(2028, 2, 25), 2, d(2028, 2, 29)},
		{"over leap day", d(2028, 2, 28), 2, d(2028, 3, 1)},
		{"over the spring DST change", d(2026, 3, 6), 1, d(2026, 3, 9)},
		{"over the autumn DST change", d(2026, 10, 30), 1, d(2026, 11, 2)},
		{"back one over New Year's Day", d(2027, 1, 4), -1, d(2026, 12, 31)},
		{"back over a weekend and Seward's Day", d(2026, 3, 31), -1, d(2026, 3, 27)},
		{"ten days from a Sunday", d(2026, 5, 24), 10, d(2026, 6, 8)},
	}
	cal := NewCalendar(nil)
	for _, tt := range tests {
		if got := cal.AddBusinessDays(tt.from, tt.n); got != tt.want {
			t.Errorf("%s: AddBusinessDays(%s, %d) = %s, want %s", tt.name, tt.from, tt.n, got, tt.want)
		}
	}
}

func TestWithinBusinessDays(t *testing.T) {
	tests := []struct {
		name string
		at   string // RFC 3339
		n    int
		want string // RFC 3339
	}{
		{"late Friday evening, over the spring DST change", "2026-03-06T23:30:00-09:00", 1, "2026-03-10T00:00:00-08:00"},
		{"UTC instant that is still Friday in Alaska", "2026-03-07T08:00:00Z", 1, "2026-03-10T00:00:00-08:00"},
		{"over the autumn DST change", "2026-10-30T09:00:00-08:00", 1, "2026-11-03T00:00:00-09:00"},
		{"ten days from a call on Monday", "2026-11-16T10:00:00-09:00", 10, "2026-12-02T00:00:00-09:00"},
		{"zero days ends with the day", "2026-06-10T10:00:00-08:00", 0, "2026-06-11T00:00:00-08:00"},
		{"the day before Juneteenth in its first year", "2025-06-18T15:00:00-08:00", 1, "2025-06-21T00:00:00-08:00"},
		{"ten days over Juneteenth 2025", "2025-06-09T10:00:00-08:00", 10, "2025-06-25T00:00:00-08:00"},
		{"Thursday before Alaska Day (Saturday) observed on Friday", "2025-10-16T16:00:00-08:00", 1, "2025-10-21T00:00:00-08:00"},
		{"UTC instant still 30 December in Alaska", "2025-12-31T08:30:00Z", 1, "2026-01-01T00:00:00-09:00"},
		{"UTC instant at Alaska's midnight beginning 31 December, over New Year's Day", "2025-12-31T09:00:00Z", 1, "2026-01-03T00:00:00-09:00"},
		{"ten days from 26 February of a common year into daylight time", "2025-02-26T10:00:00-09:00", 10, "2025-03-13T00:00:00-08:00"},
	}
	cal := NewCalendar(nil)
	for _, tt := range tests {
		at, want := mustRFC3339(t, tt.at), mustRFC3339(t, tt.want)
		if got := cal.WithinBusinessDays(at, tt.n); !got.Equal(want) {
			t.Errorf("%s: WithinBusinessDays(%s, %d) = %s, want %s", tt.name, tt.at, tt.n, got, want)
		}
	}
}

func mustRFC3339(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestDateStartEndAcrossDST(t *testing.T) {
	tests := []struct {
		date   Date
		length time.Duration
		start  string
	}{
		{d(2026, 3, 8), 23 * time.Hour, "2026-03-08T00:00:00-09:00"},  // clocks spring forward
		{d(2026, 11, 1), 25 * time.Hour, "2026-11-01T00:00:00-08:00"}, // clocks fall back
		{d(2026, 7, 1), 24 * time.Hour, "2026-07-01T00:00:00-08:00"},
		{d(2026, 1, 15), 24 * time.Hour, "2026-01-15T00:00:00-09:00"},
	}
	for _, tt := range tests {
		if got := tt.date.End().Sub(tt.date.Start()); got != tt.length {
			t.Errorf("%s lasts %s, want %s", tt.date, got, tt.length)
		}
		if want := mustRFC3339(t, tt.start); !tt.date.Start().Equal(want) {
			t.Errorf("%s.Start() = %s, want %s", tt.date, tt.date.Start(), want)
		}
		if got := DateOf(tt.date.End().Add(-time.Nanosecond)); got != tt.date {
			t.Errorf("DateOf(last instant of %s) = %s", tt.date, got)
		}
		if got := DateOf(tt.date.End()); got != tt.date.AddDays(1) {
			t.Errorf("DateOf(%s.End()) = %s, want the next day", tt.date, got)
		}
	}
}

func TestLastBusinessDay(t *testing.T) {
	tests := []struct {
		month Month
		want  Date
	}{
		{Month{2026, time.May}, d(2026, 5, 29)},       // 30th and 31st are a weekend
		{Month{2026, time.January}, d(2026, 1, 30)},   // 31st is a Saturday
		{Month{2025, time.March}, d(2025, 3, 28)},     // 31st is Seward's Day
		{Month{2027, time.May}, d(2027, 5, 28)},       // 31st is Memorial Day
		{Month{2027, time.December}, d(2027, 12, 30)}, // 31st observes New Year's Day 2028
		{Month{2028, time.February}, d(2028, 2, 29)},  // leap day is a Tuesday
		{Month{2026, time.August}, d(2026, 8, 31)},    // 31st is a Monday
	}
	cal := NewCalendar(nil)
	for _, tt := range tests {
		if got := cal.LastBusinessDay(tt.month); got != tt.want {
			t.Errorf("LastBusinessDay(%s) = %s, want %s", tt.month, got, tt.want)
		}
	}
}

func TestThirtiethOfNextMonth(t *testing.T) {
	tests := []struct {
		month Month
		want  Date
	}{
		{Month{2026, time.January}, d(2026, 2, 28)},
		{Month{2028, time.January}, d(2028, 2, 29)},    // leap year
		{Month{2100, time.January}, d(2100, 2, 28)},    // century, not a leap year
		{Month{2000, time.January}, d(2000, 2, 29)},    // 400-year leap year
		{Month{2026, time.February}, d(2026, 3, 30)},   // March has a 31st; the 30th it is
		{Month{2026, time.March}, d(2026, 4, 30)},      // April's last day
		{Month{2026, time.December}, d(2027, 1, 30)},   // across the year end
		{Month{2026, time.September}, d(2026, 10, 30)}, // quarter end, for the QCIP
	}
	for _, tt := range tests {
		if got := ThirtiethOfNextMonth(tt.month); got != tt.want {
			t.Errorf("ThirtiethOfNextMonth(%s) = %s, want %s", tt.month, got, tt.want)
		}
	}
}

func TestBusinessDaysAfterThe20th(t *testing.T) {
	tests := []struct {
		month Month
		n     int
		want  Date
	}{
		{Month{2026, time.June}, 3, d(2026, 6, 24)}, // the 20th is a Saturday
		{Month{2026, time.June}, 5, d(2026, 6, 26)},
		{Month{2026, time.November}, 5, d(2026, 11, 30)}, // over Thanksgiving
		{Month{2027, time.December}, 5, d(2027, 12, 28)}, // over Christmas observed on the 24th
		{Month{2027, time.December}, 10, d(2028, 1, 5)},  // and over New Year's Day observed on the 31st
	}
	cal := NewCalendar(nil)
	for _, tt := range tests {
		if got := cal.BusinessDaysAfterThe20th(tt.month, tt.n); got != tt.want {
			t.Errorf("BusinessDaysAfterThe20th(%s, %d) = %s, want %s", tt.month, tt.n, got, tt.want)
		}
	}
}

func TestMonthNavigation(t *testing.T) {
	tests := []struct {
		month      Month
		last       Date
		prev, next Month
	}{
		{Month{2026, time.January}, d(2026, 1, 31), Month{2025, time.December}, Month{2026, time.February}},
		{Month{2026, time.December}, d(2026, 12, 31), Month{2026, time.November}, Month{2027, time.January}},
		{Month{2028, time.February}, d(2028, 2, 29), Month{2028, time.January}, Month{2028, time.March}},
		{Month{2027, time.February}, d(2027, 2, 28), Month{2027, time.January}, Month{2027, time.March}},
		{Month{2026, time.April}, d(2026, 4, 30), Month{2026, time.March}, Month{2026, time.May}},
	}
	for _, tt := range tests {
		if got := tt.month.Last(); got != tt.last {
			t.Errorf("%s.Last() = %s, want %s", tt.month, got, tt.last)
		}
		if got := tt.month.First(); got != d(tt.month.Year, tt.month.Month, 1) {
			t.Errorf("%s.First() = %s", tt.month, got)
		}
		if got := tt.month.Prev(); got != tt.prev {
			t.Errorf("%s.Prev() = %s, want %s", tt.month, got, tt.prev)
		}
		if got := tt.month.Next(); got != tt.next {
			t.Errorf("%s.Next() = %s, want %s", tt.month, got, tt.next)
		}
		if got := tt.last.MonthOf(); got != tt.month {
			t.Errorf("%s.MonthOf() = %s, want %s", tt.last, got, tt.month)
		}
	}
}

func TestDateArithmeticAndOrder(t *testing.T) {
	tests := []struct {
		from Date
		n    int
		want Date
	}{
		{d(2028, 2, 28), 1, d(2028, 2, 29)},
		{d(2028, 2, 29), 1, d(2028, 3, 1)},
		{d(2027, 2, 28), 1, d(2027, 3, 1)},
		{d(2026, 12, 31), 1, d(2027, 1, 1)},
		{d(2026, 3, 1), -1, d(2026, 2, 28)},
		{d(2026, 3, 7), 2, d(2026, 3, 9)}, // over the spring DST change
		{d(2026, 1, 1), 365, d(2027, 1, 1)},
	}
	for _, tt := range tests {
		got := tt.from.AddDays(tt.n)
		if got != tt.want {
			t.Errorf("%s.AddDays(%d) = %s, want %s", tt.from, tt.n, got, tt.want)
		}
		if before := tt.n > 0; tt.from.Before(got) != before || got.Before(tt.from) == before {
			t.Errorf("Before disagrees with AddDays(%d) for %s and %s", tt.n, tt.from, got)
		}
	}
	if x := d(2026, 3, 4); x.Before(x) || x.Compare(x) != 0 {
		t.Error("a date is before itself")
	}
}

// parseCase is one input to a parser and what it should read.
type parseCase[T any] struct {
	in   string
	want T
	ok   bool
}

// checkParse runs parse over the cases: good input reads back through String, bad input gives an
// invalid *events.Error.
func checkParse[T interface {
	comparable
	fmt.Stringer
}](t *testing.T, name string, parse func(string) (T, error), cases []parseCase[T]) {
	t.Helper()
	for _, tt := range cases {
		got, err := parse(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("%s(%q) = %s, %v; want %s, ok=%v", name, tt.in, got, err, tt.want, tt.ok)
		}
		if err != nil {
			assertInvalid(t, err)
		} else if got.String() != tt.in {
			t.Errorf("%s(%q).String() = %q", name, tt.in, got.String())
		}
	}
}

func TestParseDate(t *testing.T) {
	checkParse(t, "ParseDate", ParseDate, []parseCase[Date]{
		{"2026-03-30", d(2026, 3, 30), true},
		{"2028-02-29", d(2028, 2, 29), true},
		{"2027-02-29", Date{}, false}, // not a leap year
		{"2026-04-31", Date{}, false},
		{"2026-3-30", Date{}, false},
		{"30/03/2026", Date{}, false},
		{"2026-03-30T10:00:00Z", Date{}, false},
		{"", Date{}, false},
	})
}

func TestParseMonth(t *testing.T) {
	checkParse(t, "ParseMonth", ParseMonth, []parseCase[Month]{
		{"2026-03", Month{2026, time.March}, true},
		{"2026-12", Month{2026, time.December}, true},
		{"2026-13", Month{}, false},
		{"2026-3", Month{}, false},
		{"2026-03-01", Month{}, false},
		{"", Month{}, false},
	})
}

// assertInvalid checks that err is an *events.Error with code invalid.
func assertInvalid(t *testing.T, err error) {
	t.Helper()
	var e *events.Error
	if !errors.As(err, &e) || e.Code != events.Invalid || e.Message == "" {
		t.Errorf("error %v is not an *events.Error with code invalid and a message", err)
	}
}

// TestMonthString: a month is written as fmt's "%04d-%02d" would write it, for every month of
// years 0 to 10000 and some outside them.
func TestMonthString(t *testing.T) {
	years := []int{-12345, -1, 9999, 10000, 123456}
	for y := 0; y < 10000; y += 7 {
		years = append(years, y)
	}
	for _, y := range years {
		for m := time.January; m <= time.December; m++ {
			month := Month{Year: y, Month: m}
			if got, want := month.String(), fmt.Sprintf("%04d-%02d", y, int(m)); got != want {
				t.Fatalf("Month{%d, %d}.String() = %q, want %q", y, m, got, want)
			}
		}
	}
}
