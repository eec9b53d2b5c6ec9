package domain

import (
	"testing"
	"time"
)

// naiveBetween walks the days: the definition BusinessDaysBetween must agree with.
func naiveBetween(c *Calendar, from, to Date) int {
	n := 0
	for d := from.AddDays(1); !to.Before(d); d = d.AddDays(1) {
		if c.IsBusinessDay(d) {
			n++
		}
	}
	return n
}

func TestBusinessDaysBetween(t *testing.T) {
	c := NewCalendar(map[Date]string{{2026, time.March, 4}: "storm closure", {2026, time.March, 7}: "Saturday closure"})
	cases := []struct {
		from, to Date
		want     int
	}{
		{Date{2026, time.March, 2}, Date{2026, time.March, 2}, 0},              // same day
		{Date{2026, time.March, 6}, Date{2026, time.March, 2}, 0},              // backwards
		{Date{2026, time.March, 2}, Date{2026, time.March, 9}, 4},              // Tue, Thu, Fri, Mon (Wed closed)
		{Date{2026, time.March, 27}, Date{2026, time.March, 31}, 1},            // Seward's Day Mon 30
		{Date{2026, time.December, 31}, Date{2027, time.January, 4}, 1},        // New Year's Day Fri, then Mon
		{Date{2025, time.January, 1}, Date{2025, time.December, 31}, 260 - 11}, // 260 weekdays after Jan 1 2025, 11 of them holidays
		{Date{2019, time.January, 1}, Date{2026, time.November, 23}, 0},        // checked against the walk below
	}
	for _, tc := range cases {
		want := naiveBetween(c, tc.from, tc.to)
		if tc.want != 0 && want != tc.want {
			t.Fatalf("the walk gives %d for %v..%v, the table says %d", want, tc.from, tc.to, tc.want)
		}
		if got := c.BusinessDaysBetween(tc.from, tc.to); got != want {
			t.Errorf("BusinessDaysBetween(%v, %v) = %d, want %d", tc.from, tc.to, got, want)
		}
	}
}

func FuzzBusinessDaysBetween(f *testing.F) {
	f.Add(0, 10)
	f.Add(-400, 900)
	f.Add(3000, 3)
	c := NewCalendar(map[Date]string{{2027, time.June, 2}: "closure"})
	origin := Date{2026, time.January, 1}
	f.Fuzz(func(t *testing.T, a, b int) {
		if a < -4000 || a > 4000 || b < -4000 || b > 4000 {
			return
		}
		from, to := origin.AddDays(a), origin.AddDays(b)
		if got, want := c.BusinessDaysBetween(from, to), naiveBetween(c, from, to); got != want {
			t.Fatalf("BusinessDaysBetween(%v, %v) = %d, want %d", from, to, got, want)
		}
	})
}
