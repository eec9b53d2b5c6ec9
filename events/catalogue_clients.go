package events

// Tracks of the Alaska Temporary Assistance program the manual names.
const (
	TrackWorkFirst     = "work_first"
	TrackFamiliesFirst = "families_first"
)

// EmergencyDisclosed records a client presenting or disclosing an emergency (due diligence I).
type EmergencyDisclosed struct {
	EmergencyID  string `json:"emergency_id"`
	ClientNumber string `json:"client_number"`
	Track        string `json:"track"`
}

// EmergencyClientSeen records that the client with an emergency was seen.
type EmergencyClientSeen struct {
	EmergencyID string `json:"emergency_id"`
}

// CircumstanceChangeLearned records that a case manager became aware of a change in a client's
// circumstances likely to affect the benefit level (due diligence J).
type CircumstanceChangeLearned struct {
	ChangeID     string `json:"change_id"`
	ClientNumber string `json:"client_number"`
	Description  string `json:"description"`
}

// CircumstanceChangeReported records that the change was reported to DPA Eligibility staff.
type CircumstanceChangeReported struct {
	ChangeID string `json:"change_id"`
}
