package domain

import (
	"strconv"
	"time"
)

// periodEnd returns the last day of a period written YYYY-MM, YYYY-Qn (calendar quarter) or YYYY.
func periodEnd(period string) (Date, bool) {
	if m, err := ParseMonth(period); err == nil {
		return m.Last(), true
	}
	if q := quarterPattern.FindStringSubmatch(period); q != nil {
		return quarterLastMonth(q).Last(), true
	}
	if yearPattern.MatchString(period) {
		y, _ := strconv.Atoi(period)
		return Date{y, time.December, 31}, true
	}
	return Date{}, false
}

func quarterLastMonth(match []string) Month {
	y, _ := strconv.Atoi(match[1])
	n, _ := strconv.Atoi(match[2])
	return Month{y, time.Month(3 * n)}
}

// quarterOf returns the calendar quarter a month is in, written YYYY-Qn.
func quarterOf(m Month) string {
	return strconv.Itoa(m.Year) + "-Q" + strconv.Itoa((int(m.Month)+2)/3)
}
