package events

// Kinds of DPA report a provider receives (WSPM 1015).
const (
	DPAReportInconsistentData = "inconsistent_data"
	DPAReportParticipantList  = "participant_list"
	DPAReportPerformance      = "performance"
	DPAReportPerformanceByCM  = "performance_by_case_manager"
	DPAReportPenalty          = "penalty"
	DPAReportCaseloadSummary  = "caseload_summary"
	DPAReportOther            = "other"
)

// DPAReportReceived records a DPA report reaching the provider. DistributedOn is the date DPA
// distributed it (the inconsistent data report's clock starts there).
//
// Version 2 added, for a participant list that selects cases for work verification, the
// statewide family-type mix its selection was checked against (StatewideFamilyMix, from the list
// or the settings) and the Remarks for the manager where the selection differs from the manual's
// rule; version 1 payloads have neither (UpcastDPAReportReceivedV1).
type DPAReportReceived struct {
	ReportID           string        `json:"report_id"`
	Kind               string        `json:"kind"`
	Period             string        `json:"period"`
	DistributedOn      string        `json:"distributed_on"` // YYYY-MM-DD
	SelectedCases      []string      `json:"selected_cases"`
	Findings           []Finding     `json:"findings"`
	StatewideFamilyMix []FamilyShare `json:"statewide_family_mix,omitempty"`
	Remarks            []string      `json:"remarks,omitempty"`
}

// FamilyShare is one family type's share of the statewide Temporary Assistance caseload, which
// weights the performance-confirmation selection (WSPM 1015): a count of cases, or any weight.
type FamilyShare struct {
	FamilyType string `json:"family_type"`
	Cases      int64  `json:"cases"`
}

// Actions a provider takes on one case of a DPA report.
const (
	ActionCorrected = "corrected" // the data was corrected
	ActionVerified  = "verified"  // the data was verified as valid
	ActionConfirmed = "confirmed" // the participation was confirmed
	ActionDisputed  = "disputed"  // the provider disagrees, with a note
)

// ResponseItem is the provider's answer for one case of a DPA report.
type ResponseItem struct {
	CaseID string `json:"case_id"`
	Action string `json:"action"`
	Note   string `json:"note,omitempty"`
}

// DPAReportResponded records the provider's written response to a DPA report.
type DPAReportResponded struct {
	ReportID string         `json:"report_id"`
	Items    []ResponseItem `json:"items"`
}

// Measure is one performance measure's counts for a provider (or one of its case managers).
type Measure struct {
	Measure       string `json:"measure"`
	CaseManagerID string `json:"case_manager_id,omitempty"`
	Numerator     int64  `json:"numerator"`
	Denominator   int64  `json:"denominator"`
}

// PerformanceMeasuresPosted records the monthly performance measures DPA posted for the provider.
type PerformanceMeasuresPosted struct {
	Period   string    `json:"period"` // YYYY-MM
	Measures []Measure `json:"measures"`
}

// Kinds of report a provider submits.
const (
	ReportPerformanceInvoice = "performance_invoice"
	ReportQCIP               = "qcip"
	ReportDataGrievance      = "data_grievance"
	ReportOther              = "other"
)

// Document is an attachment of a submitted report, named and optionally fingerprinted.
type Document struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256,omitempty"`
}

// ReportSubmitted records a report the provider submitted to DPA or WSTA.
type ReportSubmitted struct {
	Kind      string     `json:"kind"`
	Period    string     `json:"period"`
	Documents []Document `json:"documents"`
}
