package domain

import "github.com/wsledger/wsledger/events"

// ReceiveDPAReport records a DPA report reaching the provider (WSPM 1015): which kind, for which
// period, when DPA distributed it, the cases it selects and any negative findings it carries.
//
// A participant list's SelectedCases are the group selected for work verification; its
// StatewideFamilyMix, when the list gives it, is the statewide Temporary Assistance mix the
// selection is weighted by (otherwise the policy setting's is used).
type ReceiveDPAReport struct {
	header
	ReportID           string               `json:"report_id"`
	Kind               string               `json:"kind"`
	Period             string               `json:"period"`
	DistributedOn      string               `json:"distributed_on,omitempty"`
	SelectedCases      []string             `json:"selected_cases,omitempty"`
	Findings           []events.Finding     `json:"findings,omitempty"`
	StatewideFamilyMix []events.FamilyShare `json:"statewide_family_mix,omitempty"`
}

// RespondToDPAReport records the provider's written response to a DPA report, case by case.
type RespondToDPAReport struct {
	header
	ReportID string                `json:"report_id"`
	Items    []events.ResponseItem `json:"items"`
}

// PostPerformanceMeasures records the month's performance measures DPA posted, as numerator and
// denominator per measure (and per case manager where given).
type PostPerformanceMeasures struct {
	header
	Period   string           `json:"period"`
	Measures []events.Measure `json:"measures"`
}

// SubmitReport records a report the provider submitted: a performance invoice, a QCIP, a data
// grievance or another report. Staff rosters are submitted with SubmitStaffRoster.
type SubmitReport struct {
	header
	Kind      string            `json:"kind"`
	Period    string            `json:"period"`
	Documents []events.Document `json:"documents"`
}

var dpaReportKinds = []string{
	events.DPAReportInconsistentData, events.DPAReportParticipantList, events.DPAReportPerformance,
	events.DPAReportPerformanceByCM, events.DPAReportPenalty, events.DPAReportCaseloadSummary, events.DPAReportOther,
}

var responseActions = []string{events.ActionCorrected, events.ActionVerified, events.ActionConfirmed, events.ActionDisputed}

var reportKinds = []string{events.ReportPerformanceInvoice, events.ReportQCIP, events.ReportDataGrievance, events.ReportOther}

func (c *ReceiveDPAReport) Target() (string, string)        { return KindDPAReport, c.ReportID }
func (c *RespondToDPAReport) Target() (string, string)      { return KindDPAReport, c.ReportID }
func (c *PostPerformanceMeasures) Target() (string, string) { return KindMeasures, c.Period }
func (c *SubmitReport) Target() (string, string)            { return KindReport, c.Kind + "-" + c.Period }

func (c *ReceiveDPAReport) validate() error {
	return asError(first(
		checkID("report_id", c.ReportID),
		checkEnum("kind", c.Kind, dpaReportKinds...),
		checkPeriod("period", c.Period),
		checkOptionalDate("distributed_on", c.DistributedOn),
		checkEach(c.SelectedCases, func(i int, id string) *events.Error {
			return checkID(at("selected_cases", i, ""), id)
		}),
		checkUnique("selected_cases", "", c.SelectedCases, func(id string) string { return id }, "case id"),
		checkFindings("findings", c.Findings),
		checkFamilyMix("statewide_family_mix", c.StatewideFamilyMix),
	))
}

// checkFamilyMix asks a statewide family-type mix for known family types, each once, with counts
// that are not negative and not all zero.
func checkFamilyMix(field string, mix []events.FamilyShare) *events.Error {
	total := int64(0)
	for _, f := range mix {
		total += max(f.Cases, 0)
	}
	return first(
		checkEach(mix, func(i int, f events.FamilyShare) *events.Error {
			return first(
				checkEnum(at(field, i, "family_type"), f.FamilyType, familyTypes...),
				checkCount(at(field, i, "cases"), f.Cases),
			)
		}),
		checkUnique(field, "family_type", mix, func(f events.FamilyShare) string { return f.FamilyType }, "family type"),
		func() *events.Error {
			if len(mix) > 0 && total == 0 {
				return invalid(field, "%s must give at least one family type a share above 0.", field)
			}
			return nil
		}(),
	)
}

func (c *RespondToDPAReport) validate() error {
	return asError(first(
		checkID("report_id", c.ReportID),
		checkNotEmpty("items", c.Items, "item"),
		checkEach(c.Items, func(i int, it events.ResponseItem) *events.Error {
			return first(
				checkID(at("items", i, "case_id"), it.CaseID),
				checkEnum(at("items", i, "action"), it.Action, responseActions...),
				checkDisputeNote(i, it),
			)
		}),
		checkUnique("items", "case_id", c.Items, func(it events.ResponseItem) string { return it.CaseID }, "case id"),
	))
}

func checkDisputeNote(i int, it events.ResponseItem) *events.Error {
	if it.Action == events.ActionDisputed {
		return checkText(at("items", i, "note"), it.Note, maxLongText)
	}
	return checkOptionalText(at("items", i, "note"), it.Note, maxLongText)
}

func (c *PostPerformanceMeasures) validate() error {
	return asError(first(
		checkMonth("period", c.Period),
		checkNotEmpty("measures", c.Measures, "measure"),
		checkEach(c.Measures, func(i int, m events.Measure) *events.Error {
			return first(
				checkID(at("measures", i, "measure"), m.Measure),
				checkOptionalID(at("measures", i, "case_manager_id"), m.CaseManagerID),
				checkCount(at("measures", i, "numerator"), m.Numerator),
				checkCount(at("measures", i, "denominator"), m.Denominator),
				checkFraction(at("measures", i, ""), "numerator", "denominator", m.Numerator, m.Denominator),
			)
		}),
		checkUnique("measures", "measure", c.Measures, func(m events.Measure) string {
			if m.CaseManagerID == "" {
				return m.Measure
			}
			return m.Measure + " for case manager " + m.CaseManagerID
		}, "measure"),
	))
}

func (c *SubmitReport) validate() error {
	return asError(first(
		checkReportKind(c.Kind),
		checkReportPeriod(c.Kind, c.Period),
		checkDocuments(c.Kind, c.Documents),
	))
}

func checkReportKind(kind string) *events.Error {
	if kind == "staff_roster" {
		return invalid("kind", "Staff rosters are submitted with SubmitStaffRoster, which records the roster itself.")
	}
	return checkEnum("kind", kind, reportKinds...)
}

// checkReportPeriod asks invoices and grievances for a month and QCIPs for a quarter.
func checkReportPeriod(kind, period string) *events.Error {
	switch kind {
	case events.ReportPerformanceInvoice, events.ReportDataGrievance:
		return checkMonth("period", period)
	case events.ReportQCIP:
		if !isQuarter(period) {
			return invalid("period", "A QCIP's period must be a calendar quarter written YYYY-Qn, for example 2026-Q1.")
		}
		return nil
	}
	return checkPeriod("period", period)
}

// checkDocuments asks a data grievance for its supporting documentation (1015-3).
func checkDocuments(kind string, docs []events.Document) *events.Error {
	if kind == events.ReportDataGrievance && len(docs) == 0 {
		return invalid("documents", "A data grievance must attach the documentation that supports the claim (WSPM 1015-3).")
	}
	return checkEach(docs, func(i int, d events.Document) *events.Error {
		if d.SHA256 != "" && !sha256Pattern.MatchString(d.SHA256) {
			return invalid(at("documents", i, "sha256"), "sha256 must be 64 lowercase hexadecimal digits.")
		}
		return checkText(at("documents", i, "name"), d.Name, maxShortText)
	})
}
