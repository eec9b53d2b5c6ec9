package domain

import "github.com/wsledger/wsledger/events"

func (c *RegisterProvider) decide(d *decision) (any, error) {
	if d.s.Registered() {
		return nil, conflict("provider", "Provider %s is already registered.", c.Provider)
	}
	return events.ProviderRegistered{Name: c.Name, Region: c.Region}, nil
}

func (c *SubmitStaffRoster) decide(d *decision) (any, error) {
	// A roster is due within its own month (WSPM 1015-12), so only one dated before the month
	// begins is backdated.
	month, _ := ParseMonth(c.Month)
	if err := notBefore(d, month.First().Start(), "month "+c.Month+" began"); err != nil {
		return nil, err
	}
	return events.StaffRosterSubmitted{Month: c.Month, Staff: c.Staff}, nil
}

func (c *ReportCaseload) decide(*decision) (any, error) {
	return events.CaseloadReported{Month: c.Month, Cases: nonNil(c.Cases)}, nil
}
