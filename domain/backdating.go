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

// alaskaTime writes an instant as RFC 3339 in Anchorage time, as people in Alaska read it.
func alaskaTime(t time.Time) string { return t.In(Anchorage).Format(time.RFC3339) }
