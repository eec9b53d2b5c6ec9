package domain

import (
	"slices"
	"time"

	"github.com/wsledger/wsledger/events"
)

// The records below are what State keeps of each thing the provider tracks. Times are
// occurred_at instants (when things happened in the world) unless named otherwise.

// mark is when something that meets a duty happened (at, its occurred_at) and when the ledger
// recorded it: the duty is judged by the first, and the second shows whether it was entered late.
type mark struct{ at, recorded time.Time }

// IsZero reports whether nothing happened yet.
func (m mark) IsZero() bool { return m.at.IsZero() }

// markOf is the mark of an event.
func markOf(e events.Envelope) mark { return mark{e.OccurredAt, e.RecordedAt} }

type roster struct {
	staff map[string]events.StaffMember
	first mark // first submission for the month
}

type caseload struct {
	cases    map[string]events.Case
	order    []string // case ids as reported
	managers []string // the case managers of the cases, sorted
	seq      uint64   // sequence of the report, to tell a re-reported caseload
	reported mark
}

type reviewRecord struct {
	month, caseID string
	at, recorded  time.Time
}

type findingRecord struct {
	id, source, sourceID string
	negative             bool
	owner                string
	openedAt             time.Time
	corrected            mark
}

type wsqrRecord struct {
	period      string   // the period the review covers
	accuracy    string   // work-verification accuracy, exact
	seq         uint64   // sequence of the findings' event: the order among reviews of one period
	findings    []string // every finding id, in order
	negative    []string // negative finding ids, in order
	responseDue string   // YYYY-MM-DD
	owner       string
	openedAt    time.Time
	responded   mark
}

// wstaConfirmation is WSTA's confirmation that monthly performance confirmation starts or ceases.
type wstaConfirmation struct {
	at      time.Time
	started bool
}

type concernRecord struct {
	clientNumber string
	channel      string // how it reached the provider (events.Channel*)
	// referred marks a concern known only from WSTA's recommendations on it (E.4): the client
	// went to WSTA, and the provider never recorded the concern itself.
	referred     bool
	owner        string
	receivedAt   time.Time
	returned     mark
	resolved     mark
	noticeMode   string // how WSTA is told of the resolution: events.NoticeRecorded or NoticeEmail
	notice       mark   // when WSTA was told: the resolution recorded, or the e-mail accepted
	messageID    string // of the e-mail WSTA's mail server accepted
	unresolvedAt time.Time
	forwarded    mark
}

// callback reports whether the concern came by a channel that opens the callback duty (E.1).
func (k *concernRecord) callback() bool { return slices.Contains(callbackChannels, k.channel) }

type recommendationRecord struct {
	concernID   string
	owner       string
	receivedAt  time.Time
	implemented mark
}

// clientDuty is a duty about one client that is met once: see the emergency client, report the
// change.
type clientDuty struct {
	owner    string
	openedAt time.Time
	met      mark
}

type dpaReportRecord struct {
	remarks       []string // on a participant list's selection (selectionRemarks)
	kind, period  string
	distributedOn string // YYYY-MM-DD, or "" when not given
	selected      []string
	owner         string
	receivedAt    time.Time
	responded     mark
}
