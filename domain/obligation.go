package domain

import "time"

// Obligation kinds: every duty of the design's obligation table.
const (
	ObligationFileReview         = "monthly_file_review"        // due diligence B.3
	ObligationCorrection         = "correction"                 // due diligence C
	ObligationWSQRResponse       = "wsqr_response"              // due diligence D.1
	ObligationCallReturn         = "call_return"                // due diligence E.1
	ObligationWSTANotice         = "wsta_concern_notice"        // due diligence E.2, E.5
	ObligationConcernForward     = "concern_forward"            // due diligence E.3
	ObligationRecommendation     = "wsta_recommendation"        // due diligence E.4
	ObligationEmergencyVisit     = "emergency_visit"            // due diligence I
	ObligationChangeReport       = "change_report"              // due diligence J
	ObligationInconsistentData   = "inconsistent_data_response" // WSPM 1015
	ObligationParticipantList    = "participant_list_response"  // WSPM 1015
	ObligationPerformanceInvoice = "performance_invoice"        // WSPM 1015
	ObligationQCIP               = "qcip"                       // WSPM 1015
	ObligationStaffRoster        = "staff_roster"               // WSPM 1015-12
	ObligationDataGrievance      = "data_grievance"             // WSPM 1015-3
	// ObligationPerformanceConfirmation is a month's written response to the participant list's
	// selected group while WSTA has performance confirmation in force (WSPM 1015).
	ObligationPerformanceConfirmation = "performance_confirmation"
)

// WaitingForDPA is the Obligation.WaitingFor of a duty that cannot be met before DPA sends what
// it answers (a participant list).
const WaitingForDPA = "dpa"

// Obligation is one duty of a provider with its deadline. Subject is the natural id of what it
// concerns (finding, concern, month, report...), never a client number.
type Obligation struct {
	ID       string    `json:"id"` // kind:subject, unique within the provider
	Kind     string    `json:"kind"`
	Provider string    `json:"provider"`
	Subject  string    `json:"subject"`
	Owner    string    `json:"owner,omitempty"` // staff id responsible; empty when it is management's as a whole
	Source   string    `json:"source"`          // the manual's section
	OpenedAt time.Time `json:"opened_at"`
	// Due is the first instant at which the duty is late: the end of the last day allowed, or
	// the instant the hours run out.
	Due   time.Time `json:"due"`
	MetAt time.Time `json:"met_at,omitzero"` // zero while open
	// MetRecordedAt is when the ledger recorded what met it (MetAt is when it happened), which
	// shows a late entry (Policy.EntryLag).
	MetRecordedAt time.Time `json:"met_recorded_at,omitzero"`
	// Required and Done count the files of a monthly file review; zero for other kinds.
	Required int `json:"required,omitempty"`
	Done     int `json:"done,omitempty"`
	// Optional marks a window the provider may use but need not (a data grievance): when it
	// closes unused nothing is owed and Book.Obligations leaves it out.
	Optional bool   `json:"optional,omitempty"`
	Note     string `json:"note,omitempty"`
	// WaitingFor is WaitingForDPA while the duty waits for DPA's report: Due is then the
	// deadline if the report comes on the last expected day. Warning says what is amiss at the
	// instant the obligations were derived for (a report overdue from DPA).
	WaitingFor string `json:"waiting_for,omitempty"`
	Warning    string `json:"warning,omitempty"`
	// Remarks for the manager on what the duty answers (a participant list's selection).
	Remarks []string `json:"remarks,omitempty"`
}

// Status is where an obligation stands at an instant.
type Status string

// Statuses of an obligation.
const (
	StatusOpen      Status = "open"        // not met, not yet due soon
	StatusDueSoon   Status = "due_soon"    // not met, due within Policy.DueSoonBusinessDays
	StatusOverdue   Status = "overdue"     // not met, past due
	StatusMetOnTime Status = "met_on_time" // met before Due
	StatusMetLate   Status = "met_late"    // met at or after Due
	// StatusWaitingForDPA: not met, and it cannot be until DPA sends what it answers.
	StatusWaitingForDPA Status = "waiting_for_dpa"
)

// Status returns the obligation's status at now. A MetAt after now does not count yet.
func (o Obligation) Status(now time.Time, p Policy) Status {
	switch {
	case o.metBy(now) && o.MetAt.Before(o.Due):
		return StatusMetOnTime
	case o.metBy(now):
		return StatusMetLate
	case o.WaitingFor != "":
		return StatusWaitingForDPA
	case !now.Before(o.Due):
		return StatusOverdue
	case !o.Due.After(p.Calendar.WithinBusinessDays(now, p.DueSoonBusinessDays)):
		return StatusDueSoon
	}
	return StatusOpen
}

// Late returns how late the obligation was met, or is at now while unmet; 0 when not late.
func (o Obligation) Late(now time.Time) time.Duration {
	end := now
	if o.metBy(now) {
		end = o.MetAt
	} else if o.WaitingFor != "" {
		return 0
	}
	if end.Before(o.Due) {
		return 0
	}
	return end.Sub(o.Due)
}

func (o Obligation) metBy(now time.Time) bool { return !o.MetAt.IsZero() && !o.MetAt.After(now) }
