package events

// Finding is one item of a review's result. Negative findings must be corrected (due diligence C).
type Finding struct {
	FindingID   string `json:"finding_id"`
	Category    string `json:"category"`
	Negative    bool   `json:"negative"`
	Description string `json:"description"`
}

// FileReviewSampleDrawn records a reproducible random draw of a month's files for internal review:
// the cases ranked by SHA-256(seed || case id), the first SampleSize taken.
type FileReviewSampleDrawn struct {
	Month        string   `json:"month"`
	Seed         string   `json:"seed"`
	SeedDerived  bool     `json:"seed_derived"` // true when the seed was derived from the idempotency key
	CaseloadSize int      `json:"caseload_size"`
	SampleSize   int      `json:"sample_size"`
	CaseIDs      []string `json:"case_ids"`
}

// FileReviewRecorded records a management file review (due diligence B). The case manager and the
// reviewer's roster role are copied in so that independence can be audited from the event alone.
type FileReviewRecorded struct {
	ReviewID      string    `json:"review_id"`
	Month         string    `json:"month"`
	CaseID        string    `json:"case_id"`
	CaseManagerID string    `json:"case_manager_id"`
	ReviewerID    string    `json:"reviewer_id"`
	ReviewerRole  string    `json:"reviewer_role"`
	Findings      []Finding `json:"findings"`
}

// Finding sources: where a finding was identified.
const (
	SourceFileReview = "file_review"
	SourceWSQR       = "wsqr"
	SourceDPAReport  = "dpa_report"
)

// CorrectionCompleted records that a negative finding was corrected.
type CorrectionCompleted struct {
	FindingID string `json:"finding_id"`
	Source    string `json:"source"`    // file_review, wsqr or dpa_report
	SourceID  string `json:"source_id"` // the review, WSQR or report id
	Note      string `json:"note"`
}
