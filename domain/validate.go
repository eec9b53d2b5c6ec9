package domain

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/wsledger/wsledger/events"
)

// Limits on free text, in characters.
const (
	maxShortText = 200
	maxLongText  = 4000
)

// first returns the first refusal of a list of checks, or nil. Checks return *events.Error; asError
// turns the result into an error so that a nil *events.Error never becomes a non-nil error.
func first(errs ...*events.Error) *events.Error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

func asError(e *events.Error) error {
	if e == nil {
		return nil
	}
	return e
}

func invalid(field, format string, args ...any) *events.Error {
	return events.Errorf(events.Invalid, field, format, args...)
}

// at returns the JSON path of the i-th element of a list field, with an optional sub-field.
func at(list string, i int, field string) string {
	if field == "" {
		return list + "[" + strconv.Itoa(i) + "]"
	}
	return list + "[" + strconv.Itoa(i) + "]." + field
}

func checkID(field, v string) *events.Error {
	if v == "" {
		return invalid(field, "%s is required.", field)
	}
	return checkOptionalID(field, v)
}

func checkOptionalID(field, v string) *events.Error {
	if v != "" && !idPattern.MatchString(v) {
		return invalid(field, "%s must be 1 to 64 letters, digits, '-' or '_', starting with a letter or digit (no dots, wildcards or spaces).", field)
	}
	return nil
}

func checkText(field, v string, max int) *events.Error {
	if strings.TrimSpace(v) == "" {
		return invalid(field, "%s is required and must not be blank.", field)
	}
	return checkOptionalText(field, v, max)
}

func checkOptionalText(field, v string, max int) *events.Error {
	if len(v) <= max { // a text has at most as many characters as bytes
		return nil
	}
	if n := utf8.RuneCountInString(v); n > max {
		return invalid(field, "%s must be at most %d characters long; it has %d.", field, max, n)
	}
	return nil
}

func checkEnum(field, v string, allowed ...string) *events.Error {
	if v == "" {
		return invalid(field, "%s is required: one of %s.", field, strings.Join(allowed, ", "))
	}
	if !slices.Contains(allowed, v) {
		return invalid(field, "%s must be one of %s.", field, strings.Join(allowed, ", "))
	}
	return nil
}

func checkMonth(field, v string) *events.Error {
	if v == "" {
		return invalid(field, "%s is required, written YYYY-MM.", field)
	}
	m, err := ParseMonth(v)
	if err != nil {
		return invalid(field, "%s must be a month written YYYY-MM, for example 2026-03.", field)
	}
	if m.Year < MinYear {
		return invalid(field, "%s must be in %d or later.", field, MinYear)
	}
	return nil
}

// MinYear is the earliest year a date in a command may name: Work Services records do not
// reach further back, and year 0 or 1 is a mistake, not a record.
const MinYear = 1990

// MinInstant is the earliest instant a command may name (occurred_at and the like): the year
// 1 is what an empty timestamp decodes to, and must be refused rather than read as now.
var MinInstant = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// MaxCount bounds every count a command carries (numerators, denominators, files reviewed):
// far above any provider's monthly figures, and low enough that no sum of them a projection
// keeps can come near the int64 limit (that would take nine trillion events).
const MaxCount = 1_000_000

func checkDate(field, v string) *events.Error {
	if v == "" {
		return invalid(field, "%s is required, written YYYY-MM-DD.", field)
	}
	return checkOptionalDate(field, v)
}

func checkOptionalDate(field, v string) *events.Error {
	if v == "" {
		return nil
	}
	d, err := ParseDate(v)
	if err != nil {
		return invalid(field, "%s must be a real calendar day written YYYY-MM-DD, for example 2026-03-30.", field)
	}
	if d.Year < MinYear {
		return invalid(field, "%s must be in %d or later.", field, MinYear)
	}
	return nil
}

func isQuarter(s string) bool { _, _, ok := parseQuarter(s); return ok }
func isYear(s string) bool    { _, ok := parseYear(s); return ok }

// checkPeriod accepts a month (YYYY-MM), a calendar quarter (YYYY-Qn) or a year (YYYY).
func checkPeriod(field, v string) *events.Error {
	if v == "" {
		return invalid(field, "%s is required: a month (YYYY-MM), quarter (YYYY-Qn) or year (YYYY).", field)
	}
	if _, err := ParseMonth(v); err == nil || isQuarter(v) || isYear(v) {
		return nil
	}
	return invalid(field, "%s must be a month (YYYY-MM), a quarter (YYYY-Qn, n from 1 to 4) or a year (YYYY).", field)
}

func checkCount(field string, n int64) *events.Error {
	if n < 0 {
		return invalid(field, "%s is a count and must not be negative.", field)
	}
	if n > MaxCount {
		return invalid(field, "%s is a count and must be at most %d.", field, MaxCount)
	}
	return nil
}

// checkClientNumber never repeats the value: client numbers are personal data.
func checkClientNumber(field, v string) *events.Error {
	if v == "" {
		return invalid(field, "%s is required.", field)
	}
	if !clientNumberPattern.MatchString(v) {
		return invalid(field, "%s must be 4 to 12 digits.", field)
	}
	return nil
}

// checkIDOmitsClientNumber refuses an id (concern_id, change_id, ...) that contains the
// command's client number: ids become aggregate ids and reach subjects, logs and URLs, where no
// client number may go.
func checkIDOmitsClientNumber(field, id, clientNumber string) *events.Error {
	if clientNumber == "" || !strings.Contains(id, clientNumber) {
		return nil
	}
	return invalid(field, "%s contains the client number; an id must not carry personal data (ids reach subjects, logs and links), so choose one that does not.", field)
}

func checkOptionalClientNumber(field, v string) *events.Error {
	if v == "" {
		return nil
	}
	return checkClientNumber(field, v)
}

func checkNotEmpty[T any](field string, list []T, what string) *events.Error {
	if len(list) == 0 {
		return invalid(field, "%s must list at least one %s.", field, what)
	}
	return nil
}

// checkEach checks every element of a list and returns the first refusal.
func checkEach[T any](list []T, check func(i int, v T) *events.Error) *events.Error {
	for i, v := range list {
		if err := check(i, v); err != nil {
			return err
		}
	}
	return nil
}

// checkUnique refuses the first key that repeats an earlier one in a list.
func checkUnique[T any](list string, field string, items []T, key func(T) string, what string) *events.Error {
	if len(items) < 2 {
		return nil
	}
	seen := make(map[string]int, len(items))
	for i, it := range items {
		k := key(it)
		if first, dup := seen[k]; dup {
			return invalid(at(list, i, field), "%s %s appears twice (also at %s); each must be listed once.", what, k, at(list, first, field))
		}
		seen[k] = i
	}
	return nil
}

// checkFindings checks a list of review findings: ids, categories, descriptions, no repeats.
func checkFindings(list string, findings []events.Finding) *events.Error {
	return first(
		checkEach(findings, func(i int, f events.Finding) *events.Error {
			return first(
				checkID(at(list, i, "finding_id"), f.FindingID),
				checkID(at(list, i, "category"), f.Category),
				checkOptionalText(at(list, i, "description"), f.Description, maxLongText),
			)
		}),
		checkUnique(list, "finding_id", findings, func(f events.Finding) string { return f.FindingID }, "finding id"),
	)
}

// roles lists every role an actor may have.
var roles = []string{events.RoleCaseManager, events.RoleSupervisor, events.RoleProgramManager,
	events.RoleCSQAAuditor, events.RoleWSTA, events.RoleAdmin}

// Validate applies the rules of a command that need no state: the header's (provider, actor,
// idempotency key) and the command's own (required fields, formats, bounds, no client number in
// an id). Decide applies them too; a decoder applies them so that bad input is refused before
// anything else is done with it.
func Validate(cmd Command) error {
	if e := cmd.Header().validate(); e != nil {
		return e
	}
	return cmd.validate()
}

func (h *Header) validate() *events.Error {
	return first(
		checkProvider(h.Provider),
		checkOptionalID("idempotency_key", h.IdempotencyKey),
		checkID("actor.staff_id", h.Actor.StaffID),
		checkEnum("actor.role", h.Actor.Role, roles...),
	)
}

func checkProvider(v string) *events.Error {
	switch {
	case v == "":
		return invalid("provider", "provider is required.")
	case !providerPattern.MatchString(v):
		return invalid("provider", "provider must be 1 to 40 lowercase letters, digits or '-', starting with a letter or digit.")
	}
	return nil
}
