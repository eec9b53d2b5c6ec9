package domain

import (
	"time"

	"github.com/wsledger/wsledger/events"
)

// Policy holds the calendar and the settings the manual leaves open. DefaultPolicy gives the
// project's documented readings (docs/policy.md); every field can be changed by configuration.
type Policy struct {
	// Calendar decides which days are business days.
	Calendar *Calendar

	// WSTANoticeBusinessDays is how soon WSTA must be told of a resolved concern (due diligence
	// E.2, E.5 name no time).
	WSTANoticeBusinessDays int
	// ForwardConcernBusinessDays is how soon an unresolved concern must be forwarded to WSTA
	// once the internal process is exhausted (E.3: "will be forwarded"); 0 means by the end of
	// the same day.
	ForwardConcernBusinessDays int
	// ChangeReportBusinessDays is how soon a case manager must report a change in a client's
	// circumstances to DPA Eligibility (J names no time).
	ChangeReportBusinessDays int
	// GrievanceBusinessDays is how long after performance measures are posted a data grievance
	// may be filed (WSPM 1018-6, which sets it, is not part of the policy text).
	GrievanceBusinessDays int
	// WSQRDefaultResponseBusinessDays applies when a WSQR's findings arrive without the
	// response date agreed at the review (D.1).
	WSQRDefaultResponseBusinessDays int
	// DueSoonBusinessDays is how close to its deadline an open obligation shows as due soon.
	DueSoonBusinessDays int
	// ClockSkew is how far in the future of the ledger's clock an occurred_at may lie.
	ClockSkew time.Duration
	// SubjectKey keys the ids of new aggregates in subjects; the zero key derives them unkeyed,
	// as ledgers did before keys existed.
	SubjectKey SubjectKey
	// LateEntryBusinessDays is how long after what it records an event may be entered without
	// being a late entry: until the end of the n-th business day after its occurred_at.
	LateEntryBusinessDays int
	// StatewideFamilyMix is the statewide Temporary Assistance caseload by family type, which
	// weights the performance-confirmation selection (WSPM 1015) when a participant list does
	// not give it; empty when not known.
	StatewideFamilyMix []events.FamilyShare
}

// DefaultPolicy returns Alaska's calendar and the project's default settings.
func DefaultPolicy() Policy {
	return Policy{
		Calendar:                        NewCalendar(nil),
		WSTANoticeBusinessDays:          1,
		ForwardConcernBusinessDays:      0,
		ChangeReportBusinessDays:        5,
		GrievanceBusinessDays:           10,
		WSQRDefaultResponseBusinessDays: 20,
		DueSoonBusinessDays:             2,
		ClockSkew:                       5 * time.Minute,
		LateEntryBusinessDays:           1,
	}
}

// EntryLag says how long after what it records an event was entered: the business days from its
// occurred_at's Alaska date to its recorded_at's, and whether it is a late entry, recorded at or
// after the end of the LateEntryBusinessDays-th business day after occurred_at. Deadlines are
// judged on occurred_at; this is the evidence of when the ledger learned of it.
func (p Policy) EntryLag(occurred, recorded time.Time) (businessDays int, late bool) {
	if occurred.IsZero() || recorded.IsZero() {
		return 0, false
	}
	from, to := DateOf(occurred), DateOf(recorded)
	if !from.Before(to) {
		return 0, false // entered the day it happened, as most records are
	}
	return p.Calendar.BusinessDaysBetween(from, to), p.lateAfter(from, recorded)
}

// EnteredLate is EntryLag's second result alone, which every applied event asks for: it does
// not count the business days between the two dates.
func (p Policy) EnteredLate(occurred, recorded time.Time) bool {
	if occurred.IsZero() || recorded.IsZero() {
		return false
	}
	from := DateOf(occurred)
	return !recorded.Before(from.End()) && p.lateAfter(from, recorded)
}

// lateAfter reports whether recorded is at or after the end of the LateEntryBusinessDays-th
// business day after from.
func (p Policy) lateAfter(from Date, recorded time.Time) bool {
	return !recorded.Before(p.Calendar.AddBusinessDays(from, p.LateEntryBusinessDays).End())
}
