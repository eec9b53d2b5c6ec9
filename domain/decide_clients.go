package domain

import (
	"strings"

	"github.com/wsledger/wsledger/events"
)

func (c *DiscloseEmergency) decide(d *decision) (any, error) {
	if _, dup := d.s.emergencies[c.EmergencyID]; dup {
		return nil, conflict("emergency_id", "Emergency %s has already been recorded.", c.EmergencyID)
	}
	return events.EmergencyDisclosed{EmergencyID: c.EmergencyID, ClientNumber: c.ClientNumber, Track: c.Track}, nil
}

func (c *SeeEmergencyClient) decide(d *decision) (any, error) {
	if err := meetDuty(d, d.s.emergencies, "emergency_id", "Emergency", c.EmergencyID, "the client was seen", "disclosed"); err != nil {
		return nil, err
	}
	return events.EmergencyClientSeen{EmergencyID: c.EmergencyID}, nil
}

func (c *LearnCircumstanceChange) decide(d *decision) (any, error) {
	if _, dup := d.s.changes[c.ChangeID]; dup {
		return nil, conflict("change_id", "Change of circumstances %s has already been recorded.", c.ChangeID)
	}
	return events.CircumstanceChangeLearned{ChangeID: c.ChangeID, ClientNumber: c.ClientNumber, Description: c.Description}, nil
}

func (c *ReportCircumstanceChange) decide(d *decision) (any, error) {
	if err := meetDuty(d, d.s.changes, "change_id", "Change of circumstances", c.ChangeID, "it was reported to DPA Eligibility", "learned"); err != nil {
		return nil, err
	}
	return events.CircumstanceChangeReported{ChangeID: c.ChangeID}, nil
}

// meetDuty refuses to meet a client duty that is unknown, already met, or opened (disclosed,
// learned) after the command's occurred_at.
func meetDuty(d *decision, duties map[string]*clientDuty, field, what, id, done, opened string) error {
	duty := duties[id]
	switch {
	case duty == nil:
		return notFound(field, "%s %s is not known.", what, id)
	case !duty.met.IsZero():
		return conflict(field, "%s %s is already closed: %s.", what, id, done)
	}
	return notBefore(d, duty.openedAt, strings.ToLower(what[:1])+what[1:]+" "+id+" was "+opened)
}
