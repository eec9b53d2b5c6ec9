package domain

import (
	"slices"
	"strings"

	"github.com/wsledger/wsledger/events"
)

func (c *ReceiveWSQRFindings) decide(d *decision) (any, error) {
	if _, dup := d.s.wsqrs[c.WSQRID]; dup {
		return nil, conflict("wsqr_id", "The findings of WSQR %s have already been recorded.", c.WSQRID)
	}
	if err := checkPeriodBegun(d, c.Period, "A WSQR"); err != nil {
		return nil, err
	}
	if err := checkNewFindings(d.s, "findings", c.Findings); err != nil {
		return nil, err
	}
	received := DateOf(d.at)
	due, agreed := c.ResponseDue, c.ResponseDue != ""
	if agreed {
		if date, _ := ParseDate(due); date.Before(received) {
			return nil, refuse("response_due", "response_due %s is before the findings were received on %s.", due, received)
		}
	} else {
		due = d.p.Calendar.AddBusinessDays(received, d.p.WSQRDefaultResponseBusinessDays).String()
	}
	acc, err := Accuracy(c.WorkVerification.Correct, c.WorkVerification.Reviewed)
	if err != nil {
		return nil, err
	}
	before := d.s.confirmationBefore(c.Period)
	return events.WSQRFindingsReceived{
		WSQRID: c.WSQRID, Period: c.Period, ResponseDue: due, ResponseDueAgreed: agreed,
		Findings: nonNil(c.Findings), WorkVerification: c.WorkVerification, Accuracy: acc.Text('f'),
		ConfirmationBefore: before, ConfirmationRequired: ConfirmationRequired(before, acc),
	}, nil
}

func (c *SubmitWSQRResponse) decide(d *decision) (any, error) {
	w := d.s.wsqrs[c.WSQRID]
	switch {
	case w == nil:
		return nil, notFound("wsqr_id", "No findings of WSQR %s have been recorded.", c.WSQRID)
	case !w.responded.IsZero():
		return nil, conflict("wsqr_id", "The response to WSQR %s has already been submitted.", c.WSQRID)
	}
	if err := notBefore(d, w.openedAt, "the findings of WSQR "+c.WSQRID+" were received"); err != nil {
		return nil, err
	}
	planned := map[string]bool{}
	for i, p := range c.Plans {
		if !slices.Contains(w.findings, p.FindingID) {
			return nil, refuse(at("plans", i, "finding_id"), "Finding %s is not a finding of WSQR %s.", p.FindingID, c.WSQRID)
		}
		planned[p.FindingID] = true
	}
	var missing []string
	for _, id := range w.negative {
		if !planned[id] {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		return nil, refuse("plans", "The response must include a plan for every negative finding (due diligence D.2); it has none for %s.", strings.Join(missing, ", "))
	}
	return events.WSQRResponseSubmitted{WSQRID: c.WSQRID, Plans: nonNil(c.Plans), BestPractice: c.BestPractice}, nil
}

func (c *ConfirmPerformanceConfirmation) decide(d *decision) (any, error) {
	if _, known := d.s.wsqrs[c.WSQRID]; c.WSQRID != "" && !known {
		return nil, notFound("wsqr_id", "No findings of WSQR %s have been recorded.", c.WSQRID)
	}
	computed := d.s.confirmation
	return events.PerformanceConfirmationConfirmed{
		State: c.State, WSQRID: c.WSQRID, ComputedRequired: computed,
		Agrees: (c.State == events.ConfirmationStarted) == computed,
	}, nil
}
