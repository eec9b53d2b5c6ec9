package events

import (
	"fmt"
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

func lower(c byte) bool    { return 'a' <= c && c <= 'z' }
func digit(c byte) bool    { return '0' <= c && c <= '9' }
func hexDigit(c byte) bool { return digit(c) || ('a' <= c && c <= 'f') }

// validProvider matches ^[a-z0-9][a-z0-9-]{0,39}$.
func validProvider(p string) bool {
	if len(p) == 0 || len(p) > 40 || p[0] == '-' {
		return false
	}
	for i := 0; i < len(p); i++ {
		if c := p[i]; !lower(c) && !digit(c) && c != '-' {
			return false
		}
	}
	return true
}

// validKind matches ^[a-z][a-z_]{0,31}$.
func validKind(k string) bool {
	if len(k) == 0 || len(k) > 32 || !lower(k[0]) {
		return false
	}
	for i := 1; i < len(k); i++ {
		if c := k[i]; !lower(c) && c != '_' {
			return false
		}
	}
	return true
}

// validUUID matches a lower-case UUID: 8-4-4-4-12 hex digits.
func validUUID(u string) bool {
	if len(u) != 36 {
		return false
	}
	for i := 0; i < len(u); i++ {
		switch i {
		case 8, 13, 18, 23:
			if u[i] != '-' {
				return false
			}
		default:
			if !hexDigit(u[i]) {
				return false
			}
		}
	}
	return true
}

// CheckProvider refuses a provider id that is not one safe subject token: lower-case letters,
// digits and hyphens, 1 to 40 characters, starting with a letter or digit.
func CheckProvider(p string) error {
	if !validProvider(p) {
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
	case !validKind(d.AggregateKind):
		return Errorf(Invalid, field+".aggregate_kind", "An aggregate kind must be 1 to 32 lower-case letters or underscores.")
	case !validUUID(d.AggregateID):
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
