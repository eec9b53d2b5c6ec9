package domain

import "github.com/wsledger/wsledger/events"

// DrawFileReviewSample draws the month's internal review sample: InternalReviewSampleSize of the
// month's caseload, ranked by SHA-256(seed || case id). Without a seed, one is derived from the
// idempotency key (see sampleSeed), so that deciding stays pure and a retry draws the same files.
type DrawFileReviewSample struct {
	header
	Month string `json:"month"`
	Seed  string `json:"seed,omitempty"`
}

// RecordFileReview records a management file review of one case of the month's caseload
// (due diligence B).
type RecordFileReview struct {
	header
	ReviewID   string           `json:"review_id"`
	Month      string           `json:"month"`
	CaseID     string           `json:"case_id"`
	ReviewerID string           `json:"reviewer_id"`
	Findings   []events.Finding `json:"findings"`
}

// CompleteCorrection records the correction of a negative finding (due diligence C).
type CompleteCorrection struct {
	header
	FindingID string `json:"finding_id"`
	Note      string `json:"note"`
}

func (c *DrawFileReviewSample) Target() (string, string) { return KindSample, c.Month }
func (c *RecordFileReview) Target() (string, string)     { return KindFileReview, c.ReviewID }
func (c *CompleteCorrection) Target() (string, string)   { return KindFinding, c.FindingID }

func (c *DrawFileReviewSample) validate() error {
	return asError(first(
		checkMonth("month", c.Month),
		checkOptionalText("seed", c.Seed, maxShortText),
	))
}

func (c *RecordFileReview) validate() error {
	return asError(first(
		checkID("review_id", c.ReviewID),
		checkMonth("month", c.Month),
		checkID("case_id", c.CaseID),
		checkID("reviewer_id", c.ReviewerID),
		checkFindings("findings", c.Findings),
	))
}

func (c *CompleteCorrection) validate() error {
	return asError(first(
		checkID("finding_id", c.FindingID),
		checkText("note", c.Note, maxLongText),
	))
}
