package projections

import (
	"time"

	"github.com/wsledger/wsledger/events"
)

// The records below are what a provider's model keeps of each thing it tracks, as they are saved in
// snapshots. Instants are the events' occurred_at (when things happened in the world) unless a name
// says otherwise. Deadlines and whether they were met come from domain.Book, not from here.

// chain is where the model stands in the provider's hash chain. It proves that every event was
// applied once and in order: positions must run 1, 2, 3... and each event must chain to the last.
type chain struct {
	Events       uint64         `json:"events"`   // events applied
	Position     uint64         `json:"position"` // chain position of the last event applied
	Sequence     uint64         `json:"sequence"` // its stream sequence
	Hash         string         `json:"hash"`     // its hash
	LastRecorded time.Time      `json:"last_recorded,omitzero"`
	LastOccurred time.Time      `json:"last_occurred,omitzero"` // the latest occurred_at applied (a replay's saved state must not pass its instant)
	Break        *events.Tamper `json:"break,omitempty"`        // the first event that did not extend the chain
}

// review is one file review, as the coverage view lists it. The records kept for every event are
// trimmed to what the views show: instants as instant, recurring texts as text.
type review struct {
	ID              string  `json:"id"`
	CaseID          string  `json:"case_id"`
	Month           text    `json:"month"`
	CaseManager     text    `json:"case_manager"`
	CaseManagerRole text    `json:"case_manager_role"` // from the month's latest roster when recorded
	Reviewer        text    `json:"reviewer"`
	ReviewerRole    text    `json:"reviewer_role"`
	Findings        int32   `json:"findings"`
	Negative        int32   `json:"negative"`
	At              instant `json:"at"`
	RecordedAt      instant `json:"recorded_at"`
}

type sample struct {
	Seed    string    `json:"seed"`
	CaseIDs []string  `json:"case_ids"`
	At      time.Time `json:"at"`
}

type finding struct {
	ID       string  `json:"id"`
	SourceID string  `json:"source_id"`
	Source   text    `json:"source"`
	Category text    `json:"category"`
	At       instant `json:"at"`
	Negative bool    `json:"negative"`
}

type wsqr struct {
	ID          string    `json:"id"`
	Period      string    `json:"period"`
	At          time.Time `json:"at"`
	Correct     int64     `json:"correct"`
	Reviewed    int64     `json:"reviewed"`
	Accuracy    string    `json:"accuracy"` // exact, recomputed with domain.Accuracy
	Before      bool      `json:"before"`   // under performance confirmation before this review
	Required    bool      `json:"required"` // after it, by domain.ConfirmationRequired
	Recorded    bool      `json:"recorded"` // what the event recorded as required
	ResponseDue string    `json:"response_due"`
	RespondedAt time.Time `json:"responded_at,omitzero"`
	Negative    int       `json:"negative"`
}

// confirmationStep is one change that bears on performance confirmation, in log order: a WSQR
// (which sets the computed status) or WSTA's confirmation that it started or ceased.
type confirmationStep struct {
	At       time.Time `json:"at"`
	Source   string    `json:"source"` // stepWSQR or stepWSTA
	WSQRID   string    `json:"wsqr_id,omitempty"`
	State    string    `json:"state,omitempty"` // WSTA's: started or ceased
	Computed bool      `json:"computed"`        // the computed status after the step
}

// Sources of a confirmation step.
const (
	stepWSQR = "wsqr"
	stepWSTA = "wsta"
)

// concern is what the views need of a client concern beyond its obligations in domain.Book, which
// give when it was returned, resolved and declared unresolved: who received it, when and by which
// channel (a concern that opens no callback duty has no obligation until it is resolved), the
// resolution's CLNO date and level, and when it was forwarded to WSTA. Referred marks a concern
// known only from WSTA's recommendations.
type concern struct {
	ReceivedAt  instant `json:"received_at"`
	Owner       text    `json:"owner"`
	Channel     text    `json:"channel"`
	ForwardedAt instant `json:"forwarded_at,omitzero"`
	CLNODate    text    `json:"clno_date,omitzero"`
	Level       text    `json:"level,omitzero"`
	Resolved    bool    `json:"resolved,omitzero"`
	Referred    bool    `json:"referred,omitzero"`
	// Notice is how WSTA is told of the resolution (events.NoticeRecorded or NoticeEmail);
	// MessageID and AcceptedAt are of the e-mail WSTA's mail server accepted.
	Notice     text    `json:"notice,omitzero"`
	MessageID  string  `json:"message_id,omitzero"`
	AcceptedAt instant `json:"accepted_at,omitzero"`
}

// recommendation is what the views need of a set of WSTA recommendations beyond its obligation.
type recommendation struct {
	ConcernID string `json:"concern_id"`
	Items     int    `json:"items"`
}
