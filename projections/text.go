package projections

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/wsledger/wsledger/domain"
)

// table is a plain-text table for people: a title, a header row and rows, columns aligned.
type table struct {
	title string
	head  []string
	rows  [][]string
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

// write renders the table; an empty one says so instead of printing a lone header.
func (t *table) write(w io.Writer) error {
	if t.title != "" {
		if _, err := fmt.Fprintf(w, "%s\n", t.title); err != nil {
			return err
		}
	}
	if len(t.rows) == 0 {
		_, err := io.WriteString(w, "  (none)\n\n")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, r := range append([][]string{t.head}, t.rows...) {
		if _, err := fmt.Fprintf(tw, "  %s\n", strings.Join(r, "\t")); err != nil {
			return err
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// writeTables writes tables one after the other.
func writeTables(w io.Writer, ts ...*table) error {
	for _, t := range ts {
		if err := t.write(w); err != nil {
			return err
		}
	}
	return nil
}

// localTime renders an instant as Alaska local time for people; "-" when zero.
func localTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(domain.Anchorage).Format("2006-01-02 15:04 MST")
}

// localDue renders a deadline instant for people. A deadline at local midnight is the end of the
// day before, shown as that day at 24:00.
func localDue(t time.Time) string {
	l := t.In(domain.Anchorage)
	if l.Hour() != 0 || l.Minute() != 0 || l.Second() != 0 || l.Nanosecond() != 0 {
		return localTime(t)
	}
	day := l.Add(-time.Second)
	return day.Format("2006-01-02") + " 24:00 " + day.Format("MST")
}

// humanDuration renders a duration in days, hours and minutes ("3d 4h", "5h 30m"); "" when zero.
func humanDuration(d time.Duration) string {
	if d <= 0 {
		return ""
	}
	d = d.Round(time.Minute)
	days, hours, mins := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour), int(d%time.Hour/time.Minute)
	var parts []string
	if days > 0 {
		parts = append(parts, strconv.Itoa(days)+"d")
	}
	if hours > 0 {
		parts = append(parts, strconv.Itoa(hours)+"h")
	}
	if mins > 0 && days == 0 {
		parts = append(parts, strconv.Itoa(mins)+"m")
	}
	if len(parts) == 0 {
		return "0m"
	}
	return strings.Join(parts, " ")
}

func itoa(n int) string { return strconv.Itoa(n) }

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
