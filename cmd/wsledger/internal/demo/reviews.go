package demo

import (
	"fmt"
	"slices"
	"time"

	"github.com/wsledger/wsledger/domain"
)

// reviews records the month's file reviews of the sampled cases, and of one case of each case
// manager the sample missed (the manual asks for reviews for each staff person), their findings
// and the corrections of the negative ones. In a provider's short months two sampled files go
// unreviewed, and no other.
func (y *year) reviews(i int, m domain.Month, sample []string) {
	g := y.g
	if slices.Contains(y.p.shortMonths, i) && len(sample) > 2 {
		sample = sample[:len(sample)-2]
		for k, caseID := range sample {
			y.review(m, k, caseID)
		}
		return
	}
	for k, caseID := range sample {
		y.review(m, k, caseID)
	}
	// The draw's own random stream goes on to the rest of the month's work as it would without
	// these reviews; they draw from a stream of their own.
	month := g.r
	g.stream(y.p.id, fmt.Sprintf("month-%02d-coverage", i))
	for k, caseID := range y.missedCaseManagers(sample) {
		y.review(m, len(sample)+k, caseID)
	}
	g.r = month
}

// review records the month's k-th file review, of caseID, and the corrections of its negative
// findings.
func (y *year) review(m domain.Month, k int, caseID string) {
	g := y.g
	c := y.caseByID(caseID)
	reviewer := y.sups[c.manager%2]
	if g.chance(0.25) {
		reviewer = y.pm
	}
	reviewID := fmt.Sprintf("%s-R%02d", m, k+1)
	at := g.at(g.businessDay(m.First(), g.between(2, 15)))
	var findings []map[string]any
	for f := range pick(g, []int{0, 0, 0, 1, 1, 1, 1, 2, 2}) {
		id := fmt.Sprintf("%s-F%d", reviewID, f+1)
		negative := g.chance(0.55)
		findings = append(findings, map[string]any{"finding_id": id, "category": pick(g, findingCategories),
			"negative": negative, "description": "Found in the monthly internal file review."})
		if negative {
			y.correction(id, y.cms[c.manager], at)
		}
	}
	if findings == nil {
		findings = []map[string]any{}
	}
	g.add(at, y.p.id, reviewer, "RecordFileReview", "review-"+reviewID, map[string]any{
		"review_id": reviewID, "month": m.String(), "case_id": caseID, "reviewer_id": reviewer.id, "findings": findings})
}

// missedCaseManagers returns, for each case manager none of whose cases the sample holds, their
// first case in the caseload: reviewed too, they meet the month's review whichever case managers
// the draw happened to miss.
func (y *year) missedCaseManagers(sample []string) []string {
	covered := map[int]bool{}
	for _, id := range sample {
		covered[y.caseByID(id).manager] = true
	}
	var missed []string
	for _, c := range y.cases {
		if !covered[c.manager] {
			covered[c.manager] = true
			missed = append(missed, c.id)
		}
	}
	return missed
}

// correction completes a negative finding: mostly within the ten business days, sometimes
// late, now and then not yet in the two months before the recent ones (earlier, such a finding
// was corrected late; in recent months, every one is corrected in time).
func (y *year) correction(findingID string, by actor, found time.Time) {
	g := y.g
	var days int
	switch r := g.r.Float64(); {
	case r < 0.78 || y.recent:
		days = g.between(1, 8)
	case r < 0.95 || !y.lingering:
		days = g.between(11, 16)
	default:
		return
	}
	g.add(g.later(found, days), y.p.id, by, "CompleteCorrection", "correct-"+findingID,
		map[string]any{"finding_id": findingID, "note": "Corrected in the case file and noted in the CLNO."})
}
