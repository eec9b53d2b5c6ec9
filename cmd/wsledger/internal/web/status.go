package web

import (
	"time"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/projections"
)

// statusText is how a status reads on a page: words and an icon, with a class for colour. Colour
// only repeats what the words say.
type statusText struct {
	Class string // the domain status, for the stylesheet
	Icon  string // decorative; the text says the same
	Text  string
}

// describe says where an obligation stands at now: "⚠ Overdue by 3 business days",
// "◷ Due in 2 business days", "✓ Met on time".
func describe(cal *domain.Calendar, s domain.Status, due, metAt, now time.Time) statusText {
	switch s {
	case domain.StatusOverdue:
		return statusText{string(s), "⚠", lateness(cal, due, now)}
	case domain.StatusDueSoon:
		return statusText{string(s), "◷", dueIn(cal, due, now)}
	case domain.StatusOpen:
		return statusText{string(s), "○", dueIn(cal, due, now)}
	case domain.StatusMetOnTime:
		return statusText{string(s), "✓", "Met on time"}
	case domain.StatusMetLate:
		return statusText{string(s), "✓", "Met " + lateBy(cal, due, metAt) + " late"}
	case domain.StatusWaitingForDPA:
		return statusText{string(domain.StatusOpen), "◷", "Waiting for DPA"}
	}
	return statusText{"open", "○", string(s)}
}

// statusNames are the statuses as the deadline filter offers them.
var statusNames = []struct{ Value, Label string }{
	{string(domain.StatusOverdue), "Overdue"},
	{string(domain.StatusDueSoon), "Due soon"},
	{string(domain.StatusOpen), "Open"},
	{string(domain.StatusWaitingForDPA), "Waiting for DPA"},
	{string(domain.StatusMetOnTime), "Met on time"},
	{string(domain.StatusMetLate), "Met late"},
}

// kindNames names every obligation kind for people, with the manual's section.
var kindNames = map[string]string{
	domain.ObligationFileReview:              "Monthly file review",
	domain.ObligationCorrection:              "Correct a finding",
	domain.ObligationWSQRResponse:            "WSQR written response",
	domain.ObligationCallReturn:              "Return a client call",
	domain.ObligationWSTANotice:              "Tell WSTA of a resolved concern",
	domain.ObligationConcernForward:          "Forward a concern to WSTA",
	domain.ObligationRecommendation:          "Implement WSTA recommendations",
	domain.ObligationEmergencyVisit:          "See an emergency client",
	domain.ObligationChangeReport:            "Report a change in circumstances",
	domain.ObligationInconsistentData:        "Inconsistent data report response",
	domain.ObligationParticipantList:         "Participant list confirmation",
	domain.ObligationPerformanceInvoice:      "Performance invoice",
	domain.ObligationQCIP:                    "QCIP",
	domain.ObligationStaffRoster:             "Staff roster",
	domain.ObligationDataGrievance:           "Data grievance",
	domain.ObligationPerformanceConfirmation: "Performance confirmation response",
}

func kindName(kind string) string { return nameIn(kindNames, kind) }

// roleNames names the roles for people.
var roleNames = map[string]string{
	events.RoleCaseManager:    "case manager",
	events.RoleSupervisor:     "supervisor",
	events.RoleProgramManager: "program manager",
	events.RoleCSQAAuditor:    "CSQA auditor",
	events.RoleWSTA:           "WSTA",
	events.RoleAdmin:          "administrator",
}

func roleName(role string) string { return nameIn(roleNames, role) }

// sourceNames name where a finding came from.
var sourceNames = map[string]string{
	events.SourceFileReview: "File review",
	events.SourceWSQR:       "WSQR",
	events.SourceDPAReport:  "DPA report",
}

func sourceName(s string) string { return nameIn(sourceNames, s) }

// nameIn returns a code's name for people, or the code itself when it has none.
func nameIn(names map[string]string, code string) string {
	if n, ok := names[code]; ok {
		return n
	}
	return code
}

// verificationName says what the audit trail found wrong with an event.
func verificationName(v string) string {
	switch v {
	case events.Modified:
		return "Modified after it was written"
	case events.Removed:
		return "Events missing before it"
	case events.Inserted:
		return "Not appended by the ledger"
	case events.Reordered:
		return "Out of order"
	case projections.Unverified:
		return "Unverified: follows a damaged event"
	}
	return v
}

// shortHash shows the first 12 hex digits of a hash; the full hash is in the exports.
func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12] + "…"
	}
	return h
}
