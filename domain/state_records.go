package domain

import (
	"slices"
	"time"

	"github.com/wsledger/wsledger/events"
)

// The records below are what State keeps of each thing the provider tracks. Times are
// occurred_at instants (when things happened in the world) unless named otherwise.

type roster struct {
	staff   map[string]events.StaffMember
	firstAt time.Time // first submission for the month
}

type caseload struct {
	cases    map[string]events.Case
	order    []string // case ids as reported
	managers []string // the case managers of the cases, sorted
	seq      uint64   // sequence of the report, to tell a re-reported caseload
	at       time.Time
}

type reviewRecord struct {
	month, caseID string
	at            time.Time
}

type findingRecord struct {
	id, source, sourceID string
	negative             bool
	owner                string
	openedAt             time.Time
	correctedAt          time.Time
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
	respondedAt time.Time
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
	returnedAt   time.Time
	resolvedAt   time.Time
	noticeAt     time.Time // when the ledger recorded the resolution, publishing WSTA's notice
	unresolvedAt time.Time
	forwardedAt  time.Time
}

// callback reports whether the concern came by a channel that opens the callback duty (E.1).
func (k *concernRecord) callback() bool { return slices.Contains(callbackChannels, k.channel) }

type recommendationRecord struct {
	concernID     string
	owner         string
	receivedAt    time.Time
	implementedAt time.Time
}

// clientDuty is a duty about one client that is met once: see the emergency client, report the
// change.
type clientDuty struct {
	owner    string
	openedAt time.Time
	metAt    time.Time
}

type dpaReportRecord struct {
	remarks       []string // on a participant list's selection (selectionRemarks)
	kind, period  string
	distributedOn string // YYYY-MM-DD, or "" when not given
	selected      []string
	owner         string
	receivedAt    time.Time
	respondedAt   time.Time
}
