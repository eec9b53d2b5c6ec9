package domain

import "github.com/wsledger/wsledger/events"

// DiscloseEmergency records a client presenting with or disclosing an emergency that requires
// immediate attention (due diligence I).
type DiscloseEmergency struct {
	header
	EmergencyID  string `json:"emergency_id"`
	ClientNumber string `json:"client_number"`
	Track        string `json:"track"`
}

// SeeEmergencyClient records that the client with an emergency was seen.
type SeeEmergencyClient struct {
	header
	EmergencyID string `json:"emergency_id"`
}

// LearnCircumstanceChange records that a case manager became aware of a change in a client's
// circumstances likely to affect the benefit level (due diligence J).
type LearnCircumstanceChange struct {
	header
	ChangeID     string `json:"change_id"`
	ClientNumber string `json:"client_number"`
	Description  string `json:"description"`
}

// ReportCircumstanceChange records that the change was reported to DPA Eligibility staff.
type ReportCircumstanceChange struct {
	header
	ChangeID string `json:"change_id"`
}

func (c *DiscloseEmergency) Target() (string, string)        { return KindEmergency, c.EmergencyID }
func (c *SeeEmergencyClient) Target() (string, string)       { return KindEmergency, c.EmergencyID }
func (c *LearnCircumstanceChange) Target() (string, string)  { return KindChange, c.ChangeID }
func (c *ReportCircumstanceChange) Target() (string, string) { return KindChange, c.ChangeID }

func (c *DiscloseEmergency) validate() error {
	return asError(first(
		checkID("emergency_id", c.EmergencyID),
		checkClientNumber("client_number", c.ClientNumber),
		checkEnum("track", c.Track, events.TrackWorkFirst, events.TrackFamiliesFirst),
		checkIDOmitsClientNumber("emergency_id", c.EmergencyID, c.ClientNumber),
	))
}

func (c *SeeEmergencyClient) validate() error { return asError(checkID("emergency_id", c.EmergencyID)) }

func (c *LearnCircumstanceChange) validate() error {
	return asError(first(
		checkID("change_id", c.ChangeID),
		checkClientNumber("client_number", c.ClientNumber),
		checkText("description", c.Description, maxLongText),
		checkIDOmitsClientNumber("change_id", c.ChangeID, c.ClientNumber),
	))
}

func (c *ReportCircumstanceChange) validate() error { return asError(checkID("change_id", c.ChangeID)) }
