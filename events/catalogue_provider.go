package events

// ProviderRegistered opens a provider's history; nothing else may be recorded before it.
type ProviderRegistered struct {
	Name   string `json:"name"`
	Region string `json:"region"`
}

// StaffRosterSubmitted records the staff roster of a month as submitted to WSTA (WSPM 1015-12).
// The latest roster of a month is the one that counts for that month.
type StaffRosterSubmitted struct {
	Month string        `json:"month"` // YYYY-MM
	Staff []StaffMember `json:"staff"`
}

// StaffMember is one line of a staff roster.
type StaffMember struct {
	StaffID      string `json:"staff_id"`
	Name         string `json:"name"`
	Role         string `json:"role"` // case_manager, supervisor, program_manager or other
	SupervisorID string `json:"supervisor_id,omitempty"`
}

// CaseloadReported records a month's caseload: which cases the provider serves and who manages
// each. The latest report of a month replaces earlier ones.
type CaseloadReported struct {
	Month string `json:"month"` // YYYY-MM
	Cases []Case `json:"cases"`
}

// Case is one case of a caseload.
type Case struct {
	CaseID        string `json:"case_id"`
	FamilyType    string `json:"family_type"` // all_family or two_parent
	CaseManagerID string `json:"case_manager_id"`
}

// AccessDenied records that an actor was refused a command for lack of authority. It carries no
// personal data: only who tried, in which role, what, and why.
type AccessDenied struct {
	StaffID string `json:"staff_id"`
	Role    string `json:"role"`
	Action  string `json:"action"` // the command type
	Reason  string `json:"reason"`
}
