package domain

import "github.com/wsledger/wsledger/events"

func (c *RegisterProvider) decide(d *decision) (any, error) {
	if d.s.Registered() {
		return nil, conflict("provider", "Provider %s is already registered.", c.Provider)
	}
	return events.ProviderRegistered{Name: c.Name, Region: c.Region}, nil
}

func (c *SubmitStaffRoster) decide(*decision) (any, error) {
	return events.StaffRosterSubmitted{Month: c.Month, Staff: c.Staff}, nil
}

func (c *ReportCaseload) decide(*decision) (any, error) {
	return events.CaseloadReported{Month: c.Month, Cases: nonNil(c.Cases)}, nil
}
