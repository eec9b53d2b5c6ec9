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
	if y, q, ok := parseQuarter(period); ok {
		return Month{y, time.Month(3 * q)}.Last(), true
	}
	if y, ok := parseYear(period); ok {
		return Date{y, time.December, 31}, true
	}
	return Date{}, false
}

// periodStart returns the first day of a period written YYYY-MM, YYYY-Qn (calendar quarter) or
// YYYY.
func periodStart(period string) (Date, bool) {
	if m, err := ParseMonth(period); err == nil {
		return m.First(), true
	}
	if y, q, ok := parseQuarter(period); ok {
		return Month{y, time.Month(3*q - 2)}.First(), true
	}
	if y, ok := parseYear(period); ok {
		return Date{y, time.January, 1}, true
	}
	return Date{}, false
}

// parseQuarter reads a calendar quarter written YYYY-Qn, n from 1 to 4.
func parseQuarter(s string) (year, quarter int, ok bool) {
	if len(s) != 7 || s[4] != '-' || s[5] != 'Q' || s[6] < '1' || s[6] > '4' {
		return 0, 0, false
	}
	year, ok = parseYear(s[:4])
	return year, int(s[6] - '0'), ok
}

// parseYear reads a year written YYYY.
func parseYear(s string) (int, bool) {
	if !yearPattern.MatchString(s) {
		return 0, false
	}
	y, err := strconv.Atoi(s)
	return y, err == nil
}

// quarterOf returns the calendar quarter a month is in, written YYYY-Qn.
func quarterOf(m Month) string {
	return strconv.Itoa(m.Year) + "-Q" + strconv.Itoa((int(m.Month)+2)/3)
}
