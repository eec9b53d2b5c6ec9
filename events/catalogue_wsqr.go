package events

// WorkVerification is the work-verification result of a WSQR: how many items were reviewed and
// how many were correct.
type WorkVerification struct {
	Correct  int64 `json:"correct"`
	Reviewed int64 `json:"reviewed"`
}

// WSQRFindingsReceived records the summary of findings of a Work Services Quality Review, the
// accuracy inputs, and the performance-confirmation status the ledger computed from them.
type WSQRFindingsReceived struct {
	WSQRID               string           `json:"wsqr_id"`
	Period               string           `json:"period"`
	ResponseDue          string           `json:"response_due"`        // YYYY-MM-DD
	ResponseDueAgreed    bool             `json:"response_due_agreed"` // false: the policy default was applied
	Findings             []Finding        `json:"findings"`
	WorkVerification     WorkVerification `json:"work_verification"`
	Accuracy             string           `json:"accuracy"` // correct/reviewed, exact decimal
	ConfirmationBefore   bool             `json:"confirmation_before"`
	ConfirmationRequired bool             `json:"confirmation_required"`
}

// Plan is a provider's plan to address one negative finding.
type Plan struct {
	FindingID string `json:"finding_id"`
	Plan      string `json:"plan"`
}

// WSQRResponseSubmitted records the written response to a WSQR (due diligence D.1, D.2).
type WSQRResponseSubmitted struct {
	WSQRID       string `json:"wsqr_id"`
	Plans        []Plan `json:"plans"`
	BestPractice string `json:"best_practice"`
}

// Performance-confirmation states WSTA confirms.
const (
	ConfirmationStarted = "started"
	ConfirmationCeased  = "ceased"
)

// PerformanceConfirmationConfirmed records WSTA's confirmation that monthly performance
// confirmation starts or ceases, beside the status the ledger computed; Agrees is false when they
// differ.
type PerformanceConfirmationConfirmed struct {
	State            string `json:"state"` // started or ceased
	WSQRID           string `json:"wsqr_id,omitempty"`
	ComputedRequired bool   `json:"computed_required"`
	Agrees           bool   `json:"agrees"`
}
