package domain

import (
	"slices"
	"strings"

	"github.com/wsledger/wsledger/events"
)

// respondedKinds are the DPA reports that call for a written response (WSPM 1015): the
// inconsistent data report and the participant list.
var respondedKinds = []string{events.DPAReportInconsistentData, events.DPAReportParticipantList}

func (c *ReceiveDPAReport) decide(d *decision) (any, error) {
	if _, dup := d.s.dpaReports[c.ReportID]; dup {
		return nil, conflict("report_id", "DPA report %s has already been recorded.", c.ReportID)
	}
	if err := checkPeriodBegun(d, c.Period, "A DPA report"); err != nil {
		return nil, err
	}
	if date, _ := ParseDate(c.DistributedOn); c.DistributedOn != "" && DateOf(d.at).Before(date) {
		return nil, refuse("distributed_on", "distributed_on %s is after the report was received.", c.DistributedOn)
	}
	if err := checkNewFindings(d.s, "findings", c.Findings); err != nil {
		return nil, err
	}
	r := events.DPAReportReceived{
		ReportID: c.ReportID, Kind: c.Kind, Period: c.Period, DistributedOn: c.DistributedOn,
		SelectedCases: nonNil(c.SelectedCases), Findings: nonNil(c.Findings),
	}
	if c.Kind == events.DPAReportParticipantList && len(c.SelectedCases) > 0 {
		r.StatewideFamilyMix = c.StatewideFamilyMix
		if len(r.StatewideFamilyMix) == 0 {
			r.StatewideFamilyMix = d.p.StatewideFamilyMix
		}
		if len(r.StatewideFamilyMix) == 0 {
			r.StatewideFamilyMix = nil // as the payload, which omits an empty mix, decodes
		}
		r.Remarks = selectionRemarks(d.s.caseloads[c.Period], c.Period, c.SelectedCases, r.StatewideFamilyMix)
	}
	return r, nil
}

func (c *RespondToDPAReport) decide(d *decision) (any, error) {
	r := d.s.dpaReports[c.ReportID]
	switch {
	case r == nil:
		return nil, notFound("report_id", "DPA report %s is not known.", c.ReportID)
	case !slices.Contains(respondedKinds, r.kind):
		return nil, refuse("report_id", "DPA report %s is a %s report, which calls for no response; only inconsistent data reports and participant lists do (WSPM 1015).", c.ReportID, r.kind)
	case !r.responded.IsZero():
		return nil, conflict("report_id", "The response to DPA report %s has already been submitted.", c.ReportID)
	}
	if err := notBefore(d, r.receivedAt, "DPA report "+c.ReportID+" was received"); err != nil {
		return nil, err
	}
	if err := checkCoversSelection(c.ReportID, r.selected, c.Items); err != nil {
		return nil, err
	}
	return events.DPAReportResponded{ReportID: c.ReportID, Items: c.Items}, nil
}

// checkCoversSelection asks for one item per case the report selected, and no others.
func checkCoversSelection(reportID string, selected []string, items []events.ResponseItem) error {
	if len(selected) == 0 {
		return nil
	}
	answered := map[string]bool{}
	for i, it := range items {
		if !slices.Contains(selected, it.CaseID) {
			return refuse(at("items", i, "case_id"), "Case %s is not one the DPA report %s selected.", it.CaseID, reportID)
		}
		answered[it.CaseID] = true
	}
	var missing []string
	for _, id := range selected {
		if !answered[id] {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		return refuse("items", "The response must answer every case DPA report %s selected; it lacks %s.", reportID, strings.Join(missing, ", "))
	}
	return nil
}

func (c *PostPerformanceMeasures) decide(d *decision) (any, error) {
	if err := checkPeriodEnded(d, c.Period, "The performance measures", "posted"); err != nil {
		return nil, err
	}
	return events.PerformanceMeasuresPosted{Period: c.Period, Measures: c.Measures}, nil
}

func (c *SubmitReport) decide(d *decision) (any, error) {
	if c.Kind != events.ReportOther {
		if err := checkPeriodEnded(d, c.Period, "A "+c.Kind, "submitted"); err != nil {
			return nil, err
		}
	}
	// A grievance may rest on the participant list or DPA's performance report as well as on
	// posted measures (WSPM 1015), so one on a month with no posting is recorded; once the
	// measures are posted, it cannot be dated before the posting.
	if posted, ok := d.s.measures[c.Period]; ok && c.Kind == events.ReportDataGrievance {
		if err := notBefore(d, posted, "the performance measures of "+c.Period+" were posted"); err != nil {
			return nil, err
		}
	}
	return events.ReportSubmitted{Kind: c.Kind, Period: c.Period, Documents: nonNil(c.Documents)}, nil
}
