package domain

import (
	"errors"

	"github.com/wsledger/wsledger/events"
)

// ReceiveWSQRFindings records the summary of findings of a Work Services Quality Review, with the
// response date agreed at the review (due diligence D) and the work-verification counts (1015).
type ReceiveWSQRFindings struct {
	header
	WSQRID           string                  `json:"wsqr_id"`
	Period           string                  `json:"period"`
	ResponseDue      string                  `json:"response_due,omitempty"`
	Findings         []events.Finding        `json:"findings"`
	WorkVerification events.WorkVerification `json:"work_verification"`
}

// SubmitWSQRResponse records the written response to a WSQR: a plan for every negative finding
// and how best practice will be enhanced (due diligence D.1, D.2).
type SubmitWSQRResponse struct {
	header
	WSQRID       string        `json:"wsqr_id"`
	Plans        []events.Plan `json:"plans"`
	BestPractice string        `json:"best_practice"`
}

// ConfirmPerformanceConfirmation records WSTA's confirmation that monthly performance
// confirmation starts or ceases (1015), optionally naming the WSQR it follows.
type ConfirmPerformanceConfirmation struct {
	header
	State  string `json:"state"`
	WSQRID string `json:"wsqr_id,omitempty"`
}

func (c *ReceiveWSQRFindings) Target() (string, string) { return KindWSQR, c.WSQRID }
func (c *SubmitWSQRResponse) Target() (string, string)  { return KindWSQR, c.WSQRID }
func (c *ConfirmPerformanceConfirmation) Target() (string, string) {
	return KindPerformanceConfirmation, c.Provider
}

func (c *ReceiveWSQRFindings) validate() error {
	wv := c.WorkVerification
	return asError(first(
		checkID("wsqr_id", c.WSQRID),
		checkPeriod("period", c.Period),
		checkOptionalDate("response_due", c.ResponseDue),
		checkFindings("findings", c.Findings),
		checkAccuracy(wv),
	))
}

// checkAccuracy refuses counts Accuracy cannot divide: negative, none reviewed, or more correct
// than reviewed.
func checkAccuracy(wv events.WorkVerification) *events.Error {
	if e := checkCount("work_verification.reviewed", wv.Reviewed); e != nil {
		return e
	}
	_, err := Accuracy(wv.Correct, wv.Reviewed)
	var e *events.Error
	if errors.As(err, &e) {
		return e
	}
	if err != nil {
		return invalid("work_verification", "The work verification counts are not usable: %v.", err)
	}
	return nil
}

// checkFraction refuses a numerator above its denominator.
func checkFraction(prefix, num, den string, n, d int64) *events.Error {
	if n > d {
		return invalid(prefix+"."+num, "%s (%d) must not exceed %s (%d).", num, n, den, d)
	}
	return nil
}

func (c *SubmitWSQRResponse) validate() error {
	return asError(first(
		checkID("wsqr_id", c.WSQRID),
		checkEach(c.Plans, func(i int, p events.Plan) *events.Error {
			return first(
				checkID(at("plans", i, "finding_id"), p.FindingID),
				checkText(at("plans", i, "plan"), p.Plan, maxLongText),
			)
		}),
		checkUnique("plans", "finding_id", c.Plans, func(p events.Plan) string { return p.FindingID }, "finding id"),
		checkText("best_practice", c.BestPractice, maxLongText),
	))
}

func (c *ConfirmPerformanceConfirmation) validate() error {
	return asError(first(
		checkEnum("state", c.State, events.ConfirmationStarted, events.ConfirmationCeased),
		checkOptionalID("wsqr_id", c.WSQRID),
	))
}
