package domain

import "github.com/wsledger/wsledger/events"

// RegisterProvider opens a provider's history. Only an admin may register a provider.
type RegisterProvider struct {
	header
	Name   string `json:"name"`
	Region string `json:"region"`
}

// SubmitStaffRoster records the month's staff roster as submitted to WSTA (WSPM 1015-12). The
// roster says who is management, which file-review independence depends on.
type SubmitStaffRoster struct {
	header
	Month string               `json:"month"`
	Staff []events.StaffMember `json:"staff"`
}

// ReportCaseload records the month's caseload with each case's family type and case manager.
type ReportCaseload struct {
	header
	Month string        `json:"month"`
	Cases []events.Case `json:"cases"`
}

// Staff roles a roster may give. Management is supervisor and program_manager.
var staffRoles = []string{events.RoleCaseManager, events.RoleSupervisor, events.RoleProgramManager, "other"}

// Family types of the federal work participation rates: all families, and two-parent families.
var familyTypes = []string{"all_family", "two_parent"}

func (c *RegisterProvider) Target() (string, string)  { return KindProvider, c.Provider }
func (c *SubmitStaffRoster) Target() (string, string) { return KindRoster, c.Month }
func (c *ReportCaseload) Target() (string, string)    { return KindCaseload, c.Month }

func (c *RegisterProvider) validate() error {
	return asError(first(
		checkText("name", c.Name, maxShortText),
		checkText("region", c.Region, maxShortText),
	))
}

func (c *SubmitStaffRoster) validate() error {
	ids := make(map[string]bool, len(c.Staff))
	for _, m := range c.Staff {
		ids[m.StaffID] = true
	}
	return asError(first(
		checkMonth("month", c.Month),
		checkNotEmpty("staff", c.Staff, "member of staff"),
		checkEach(c.Staff, func(i int, m events.StaffMember) *events.Error {
			return first(
				checkID(at("staff", i, "staff_id"), m.StaffID),
				checkText(at("staff", i, "name"), m.Name, maxShortText),
				checkEnum(at("staff", i, "role"), m.Role, staffRoles...),
				checkOptionalID(at("staff", i, "supervisor_id"), m.SupervisorID),
				checkSupervisor(i, m, ids),
			)
		}),
		checkUnique("staff", "staff_id", c.Staff, func(m events.StaffMember) string { return m.StaffID }, "staff id"),
	))
}

func checkSupervisor(i int, m events.StaffMember, onRoster map[string]bool) *events.Error {
	field := at("staff", i, "supervisor_id")
	switch {
	case m.SupervisorID == "":
		return nil
	case m.SupervisorID == m.StaffID:
		return invalid(field, "A member of staff cannot be their own supervisor.")
	case !onRoster[m.SupervisorID]:
		return invalid(field, "supervisor %s is not on this roster; every supervisor must be listed too.", m.SupervisorID)
	}
	return nil
}

func (c *ReportCaseload) validate() error {
	return asError(first(
		checkMonth("month", c.Month),
		checkEach(c.Cases, func(i int, k events.Case) *events.Error {
			return first(
				checkID(at("cases", i, "case_id"), k.CaseID),
				checkEnum(at("cases", i, "family_type"), k.FamilyType, familyTypes...),
				checkID(at("cases", i, "case_manager_id"), k.CaseManagerID),
			)
		}),
		checkUnique("cases", "case_id", c.Cases, func(k events.Case) string { return k.CaseID }, "case id"),
	))
}
