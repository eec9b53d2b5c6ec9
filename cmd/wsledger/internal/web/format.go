package web

import (
	"fmt"
	"strings"
	"time"

	"github.com/wsledger/wsledger/domain"
)

// Times are shown in Alaska with the zone named, and dates with the month spelled out, so that
// nobody has to guess between 03/04 and 04/03 or between Juneau and UTC.
const (
	instantLayout = "Mon 2 Jan 2006, 3:04 PM MST"
	dateLayout    = "Mon 2 Jan 2006"
	monthLayout   = "Jan 2006"
)

// alaskaTime renders an instant in Alaska, e.g. "Mon 23 Nov 2026, 9:00 AM AKST"; "—" when zero.
func alaskaTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(domain.Anchorage).Format(instantLayout)
}

// dueTime renders a deadline. Most deadlines end with a day ("within 10 business days"): their
// due instant is the next midnight, which reads better as the end of the last day allowed,
// e.g. "Mon 1 Dec 2025, end of day AKST". Hour-based deadlines show their instant.
func dueTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	local := t.In(domain.Anchorage)
	if local.Hour() != 0 || local.Minute() != 0 || local.Second() != 0 || local.Nanosecond() != 0 {
		return local.Format(instantLayout)
	}
	lastDay := local.Add(-time.Nanosecond)
	return lastDay.Format(dateLayout) + ", end of day " + lastDay.Format("MST")
}

// alaskaDate renders an instant's Alaska calendar date, e.g. "Mon 23 Nov 2026".
func alaskaDate(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(domain.Anchorage).Format(dateLayout)
}

// isoTime renders an instant for a <time datetime> attribute.
func isoTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// periodName renders a period for people: YYYY-MM as "Nov 2026", YYYY-Qn as "Q4 2025";
// anything else is returned as it is.
func periodName(s string) string {
	if m, err := domain.ParseMonth(s); err == nil {
		return time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, time.UTC).Format(monthLayout)
	}
	if year, q, ok := strings.Cut(s, "-Q"); ok && len(year) == 4 && len(q) == 1 && q >= "1" && q <= "4" {
		return "Q" + q + " " + year
	}
	return s
}

// lateness says how late an unmet obligation is, in words that do not rely on colour:
// "Overdue by 3 business days"; "" when it is not late.
func lateness(cal *domain.Calendar, due, now time.Time) string {
	if now.Before(due) {
		return ""
	}
	return "Overdue by " + lateBy(cal, due, now)
}

// lateBy says how long after due the instant t is: past the first late day, the business days
// after the last day allowed up to t's (a missed Friday counts on the Sunday after); within the
// first late day, or when no business day has come since, clock time.
func lateBy(cal *domain.Calendar, due, t time.Time) string {
	if domain.DateOf(t) != domain.DateOf(due) {
		if n := businessDaysBetween(cal, due.Add(-time.Nanosecond), t); n > 0 {
			return plural(n, "business day")
		}
	}
	return clockDuration(t.Sub(due))
}

// dueIn says how soon an open obligation falls due: "Due in 2 business days", "Due today".
func dueIn(cal *domain.Calendar, due, now time.Time) string {
	if !now.Before(due) {
		return ""
	}
	if domain.DateOf(due.Add(-time.Nanosecond)) == domain.DateOf(now) {
		return "Due today, in " + clockDuration(due.Sub(now))
	}
	n := businessDaysBetween(cal, now, due.Add(-time.Nanosecond))
	if n == 0 {
		return "Due in " + clockDuration(due.Sub(now))
	}
	return "Due in " + plural(n, "business day")
}

// businessDaysBetween counts the business days after from's Alaska date up to and including
// to's: the days AS 01.10.080 counts.
func businessDaysBetween(cal *domain.Calendar, from, to time.Time) int {
	return cal.BusinessDaysBetween(domain.DateOf(from), domain.DateOf(to))
}

// clockDuration renders a duration for people: "3 hours", "45 minutes", "2 days 4 hours".
func clockDuration(d time.Duration) string {
	d = d.Round(time.Minute)
	days, hours, mins := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour), int(d%time.Hour/time.Minute)
	var parts []string
	if days > 0 {
		parts = append(parts, plural(days, "day"))
	}
	if hours > 0 {
		parts = append(parts, plural(hours, "hour"))
	}
	if mins > 0 && days == 0 {
		parts = append(parts, plural(mins, "minute"))
	}
	if len(parts) == 0 {
		return "less than a minute"
	}
	return strings.Join(parts, " ")
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
