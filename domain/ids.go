package domain

import (
	"regexp"

	"github.com/google/uuid"
)

// Aggregate kinds: the third token of an event's subject. Each names what a command writes to.
const (
	KindProvider                = "provider"
	KindRoster                  = "roster"
	KindCaseload                = "caseload"
	KindSample                  = "sample"
	KindFileReview              = "file_review"
	KindFinding                 = "finding"
	KindWSQR                    = "wsqr"
	KindPerformanceConfirmation = "performance_confirmation"
	KindConcern                 = "concern"
	KindRecommendation          = "recommendation"
	KindEmergency               = "emergency"
	KindChange                  = "change"
	KindDPAReport               = "dpa_report"
	KindMeasures                = "measures"
	KindReport                  = "report"
	KindAccess                  = "access"
)

// aggregateNamespace is wsledger's UUIDv5 namespace for aggregate ids. It must never change:
// every stored subject depends on it.
var aggregateNamespace = uuid.MustParse("8d5b2c1e-3f0a-4e6b-9c47-2a1d6e0f5b93")

// AggregateID returns the UUIDv5 that stands for a natural id (a concern id, a month, ...) of an
// aggregate kind of a provider. Subjects carry this UUID so that they never contain natural ids.
func AggregateID(provider, kind, naturalID string) string {
	return uuid.NewSHA1(aggregateNamespace, []byte(provider+"\x00"+kind+"\x00"+naturalID)).String()
}

var (
	idPattern           = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`)
	providerPattern     = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)
	clientNumberPattern = regexp.MustCompile(`^[0-9]{4,12}$`)
	sha256Pattern       = regexp.MustCompile(`^[0-9a-f]{64}$`)
	quarterPattern      = regexp.MustCompile(`^([0-9]{4})-Q([1-4])$`)
	yearPattern         = regexp.MustCompile(`^[0-9]{4}$`)
)
