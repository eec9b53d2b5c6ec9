package domain

import "time"

// notBefore refuses a command that would meet a duty before the duty existed: its occurred_at
// lies before the instant the duty opened. The refusal names both instants, in Alaska time.
func notBefore(d *decision, opened time.Time, duty string) error {
	if d.at.Before(opened) {
		return refuse("occurred_at", "occurred_at %s is before %s at %s; a duty cannot be met before it existed.",
			alaskaTime(d.at), duty, alaskaTime(opened))
	}
	return nil
}

// checkPeriodEnded refuses what can only follow a period (its measures, a report on it) dated
// before the period's last day has ended.
func checkPeriodEnded(d *decision, period, what, verb string) error {
	if end, ok := periodEnd(period); ok && d.at.Before(end.End()) {
		return refuse("period", "%s for %s cannot be %s before the period ends on %s (at %s); occurred_at is %s.",
			what, period, verb, end, alaskaTime(end.End()), alaskaTime(d.at))
	}
	return nil
}

// checkPeriodBegun refuses a record of a period (a DPA report, a WSQR) dated before the period's
// first day began: it is of what already happened.
func checkPeriodBegun(d *decision, period, what string) error {
	if start, ok := periodStart(period); ok && DateOf(d.at).Before(start) {
		return refuse("period", "%s of %s cannot have been made before that period began on %s.", what, period, start)
	}
	return nil
}

// alaskaTime writes an instant as RFC 3339 in Anchorage time, as people in Alaska read it.
func alaskaTime(t time.Time) string { return t.In(Anchorage).Format(time.RFC3339) }
