package events

import (
	"fmt"
	"regexp"
	"unicode/utf8"
)

// CorruptEvent is the error a log returns for a stored message that is not a readable event.
// Read goes on past it, so that verification can name every damaged place.
type CorruptEvent struct {
	Sequence uint64
	Err      error
}

func (e *CorruptEvent) Error() string {
	return fmt.Sprintf("event at sequence %d cannot be decoded: %v", e.Sequence, e.Err)
}

func (e *CorruptEvent) Unwrap() error { return e.Err }

var (
	providerPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)
	tokenPattern    = regexp.MustCompile(`^[a-z][a-z_]{0,31}$`)
	uuidPattern     = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
)

// CheckProvider refuses a provider id that is not one safe subject token: lower-case letters,
// digits and hyphens, 1 to 40 characters, starting with a letter or digit.
func CheckProvider(p string) error {
	if !providerPattern.MatchString(p) {
		return Errorf(Invalid, "provider", "A provider id must be 1 to 40 lower-case letters, digits or hyphens, starting with a letter or digit.")
	}
	return nil
}

// CheckDraft refuses a draft whose subject tokens or version are malformed.
func CheckDraft(field string, d *Draft) error {
	switch {
	case d.Type == "":
		return Errorf(Invalid, field+".type", "An event needs a type.")
	case !utf8.ValidString(d.Type):
		return Errorf(Invalid, field+".type", "An event type must be valid UTF-8.")
	case d.Version < 1:
		return Errorf(Invalid, field+".version", "An event's schema version must be 1 or more.")
	case !tokenPattern.MatchString(d.AggregateKind):
		return Errorf(Invalid, field+".aggregate_kind", "An aggregate kind must be 1 to 32 lower-case letters or underscores.")
	case !uuidPattern.MatchString(d.AggregateID):
		return Errorf(Invalid, field+".aggregate", "An aggregate id must be a lower-case UUID.")
	case d.OccurredAt.IsZero():
		return Errorf(Invalid, field+".occurred_at", "An event needs the instant it occurred.")
	}
	return nil
}

// CheckText refuses envelope text that JSON cannot carry unchanged: a string that is not valid
// UTF-8 would be stored altered and then read as tampered with.
func CheckText(field, s string) error {
	if !utf8.ValidString(s) {
		return Errorf(Invalid, field, "%s must be valid UTF-8 text.", field)
	}
	return nil
}
