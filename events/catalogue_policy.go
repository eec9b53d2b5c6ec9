package events

// PolicySettingsRecorded records the policy settings in force for a provider from its occurred_at
// on: every setting docs/policy.md documents, by its name there in snake_case, and the closures
// a governor proclaimed. wsledger serve records them in every provider's history when they
// change (the --policy file), so that the provider's hash chain covers the settings its deadlines
// were judged by and a replay uses those in force then. The file and the payload have one form.
type PolicySettingsRecorded struct {
	WSTANoticeBusinessDays          int           `json:"wsta_notice_business_days"`
	ForwardConcernBusinessDays      int           `json:"forward_concern_business_days"`
	ChangeReportBusinessDays        int           `json:"change_report_business_days"`
	GrievanceBusinessDays           int           `json:"grievance_business_days"`
	WSQRDefaultResponseBusinessDays int           `json:"wsqr_default_response_business_days"`
	DueSoonBusinessDays             int           `json:"due_soon_business_days"`
	LateEntryBusinessDays           int           `json:"late_entry_business_days"`
	ClockSkew                       string        `json:"clock_skew"` // a Go duration, e.g. 5m0s
	StatewideFamilyMix              []FamilyShare `json:"statewide_family_mix"`
	Closures                        []Closure     `json:"closures"` // by date
}

// Closure is a day state offices are closed by proclamation: not a business day.
type Closure struct {
	Date string `json:"date"` // YYYY-MM-DD
	Name string `json:"name"`
}
