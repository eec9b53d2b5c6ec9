package domain

import (
	"testing"
	"time"
)

// FuzzAddBusinessDays checks AddBusinessDays against its definition: the result is a business
// day on the right side of the start, and exactly |n| business days lie between them.
func FuzzAddBusinessDays(f *testing.F) {
	f.Add(int32(0), int16(1))        // 2026-01-01, a holiday
	f.Add(int32(88), int16(1))       // 2026-03-30, Seward's Day
	f.Add(int32(728), int16(1))      // 2027-12-30, before New Year's Day 2028 observed in 2027
	f.Add(int32(788), int16(-3))     // 2028-02-28, back over Presidents' Day
	f.Add(int32(66), int16(10))      // 2026-03-08, the spring DST change
	f.Add(int32(-365), int16(0))     // 2025-01-01, n = 0
	f.Add(int32(40000), int16(-250)) // 2135
	cal := NewCalendar(nil)
	base := d(2026, 1, 1)
	f.Fuzz(func(t *testing.T, offset int32, n16 int16) {
		// Keep to years 1900-2200 and about two years of business days, so a run stays fast.
		start := base.AddDays(int(offset) % 60000)
		n := int(n16) % 500
		got := cal.AddBusinessDays(start, n)
		if n == 0 {
			if got != start {
				t.Fatalf("AddBusinessDays(%s, 0) = %s, want the day itself", start, got)
			}
			return
		}
		if !cal.IsBusinessDay(got) {
			t.Fatalf("AddBusinessDays(%s, %d) = %s, not a business day", start, n, got)
		}
		lo, hi, want := start, got, n
		if n < 0 {
			lo, hi, want = got, start, -n
		}
		if !lo.Before(hi) {
			t.Fatalf("AddBusinessDays(%s, %d) = %s, on the wrong side of the start", start, n, got)
		}
		// Count the business days in (lo, hi] for n > 0 and in [lo, hi) for n < 0.
		count := 0
		for x := lo; x != hi.AddDays(1); x = x.AddDays(1) {
			if cal.IsBusinessDay(x) && (n > 0 && x != lo || n < 0 && x != hi) {
				count++
			}
		}
		if count != want {
			t.Fatalf("AddBusinessDays(%s, %d) = %s, with %d business days between", start, n, got, count)
		}
		if n > 0 {
			at := start.Start().Add(time.Duration(offset&0xffff) * time.Second)
			if deadline := cal.WithinBusinessDays(at, n); !deadline.Equal(got.End()) || !at.Before(deadline) {
				t.Fatalf("WithinBusinessDays(%s, %d) = %s, want %s", at, n, deadline, got.End())
			}
		}
	})
}

// FuzzDate checks the Date helpers against each other on any date of 1900-2200: a day runs from
// Start to End, lasts 23, 24 or 25 hours, and String reads back with ParseDate.
func FuzzDate(f *testing.F) {
	f.Add(int32(66))  // 2026-03-08, 23 hours
	f.Add(int32(304)) // 2026-11-01, 25 hours
	f.Add(int32(789)) // 2028-02-29
	base := d(2026, 1, 1)
	f.Fuzz(func(t *testing.T, offset int32) {
		x := base.AddDays(int(offset) % 60000)
		start, end := x.Start(), x.End()
		if h := end.Sub(start); h != 23*time.Hour && h != 24*time.Hour && h != 25*time.Hour {
			t.Fatalf("%s lasts %s", x, h)
		}
		if DateOf(start) != x || DateOf(end.Add(-time.Nanosecond)) != x || DateOf(end) != x.AddDays(1) {
			t.Fatalf("DateOf disagrees with %s.Start() = %s and End() = %s", x, start, end)
		}
		if h, m, s := start.In(Anchorage).Clock(); h != 0 || m != 0 || s != 0 {
			t.Fatalf("%s.Start() = %s is not local midnight", x, start)
		}
		if back, err := ParseDate(x.String()); err != nil || back != x {
			t.Fatalf("ParseDate(%q) = %s, %v", x.String(), back, err)
		}
		if x.AddDays(1).AddDays(-1) != x || !x.Before(x.AddDays(1)) {
			t.Fatalf("AddDays is not invertible at %s", x)
		}
	})
}

// FuzzDayNumber checks the integer date arithmetic against time.Date, which defines it, on any
// year of 1600-2400 and days and months out of range: the day number, its date, the weekday,
// and that IsBusinessDay agrees with the weekday and HolidayOn.
func FuzzDayNumber(f *testing.F) {
	f.Add(int16(1970), int8(1), int8(1))
	f.Add(int16(2000), int8(2), int8(29))
	f.Add(int16(1900), int8(2), int8(29))  // not a leap year: 1 March
	f.Add(int16(2026), int8(13), int8(0))  // month and day out of range
	f.Add(int16(2027), int8(12), int8(31)) // New Year's Day 2028 observed on a Friday of 2027
	f.Add(int16(1600), int8(-3), int8(40))
	cal := NewCalendar(nil)
	f.Fuzz(func(t *testing.T, y16 int16, m8, d8 int8) {
		x := Date{1600 + int(y16)%800, time.Month(m8), int(d8)}
		if x.Year < 1600 {
			x.Year += 800
		}
		ref := time.Date(x.Year, x.Month, x.Day, 0, 0, 0, 0, time.UTC)
		if got, want := dayNumber(x), int(ref.Unix()/86400); got != want {
			t.Fatalf("dayNumber(%+v) = %d, want %d", x, got, want)
		}
		norm := dateOfDayNumber(dayNumber(x))
		if y, m, d := ref.Date(); norm != (Date{y, m, d}) {
			t.Fatalf("dateOfDayNumber(dayNumber(%+v)) = %s, want %04d-%02d-%02d", x, norm, y, m, d)
		}
		if got := weekdayOfNumber(dayNumber(x)); got != ref.Weekday() {
			t.Fatalf("weekday of %+v = %s, want %s", x, got, ref.Weekday())
		}
		_, holiday := cal.HolidayOn(norm)
		wd := ref.Weekday()
		if want := wd != time.Saturday && wd != time.Sunday && !holiday; cal.IsBusinessDay(norm) != want {
			t.Fatalf("IsBusinessDay(%s) = %v, want %v", norm, !want, want)
		}
	})
}
