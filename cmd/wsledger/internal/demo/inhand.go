package demo

import (
	"fmt"
	"time"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
)

// nowInHand records the work in hand at the end, placed by business days and hours before it so
// that it stands the same whatever day the end falls on: a client call not returned for two
// business days and one that came in two hours ago, an emergency client not yet seen, a change in
// circumstances not yet reported, a WSTA recommendation received three hours ago, and findings of
// three recent file reviews: one overdue, one corrected late, one due within two business days
// and one due later in the week.
//
// Days are counted back from ref, the first business day on or after the end's day, so that a
// deadline counted from them falls on the same side of the end whether the end is a working day
// or not: ref-k is the k-th business day before ref, always before the end's day.
func (y *year) nowInHand() {
	g := y.g
	ref := g.businessDay(g.endDate, 0)
	before := func(k, hour, minute int) time.Time { return clock(g.cal.AddBusinessDays(ref, -k), hour, minute) }
	ago := func(h int) time.Time { return g.end.Add(-time.Duration(h) * time.Hour) }
	cm := func(n int) actor { return y.cms[n%len(y.cms)] }
	id := func(t time.Time, suffix string) string { return domain.DateOf(t).MonthOf().String() + "-" + suffix }

	// Client calls: one overdue (due at the end of ref-2), one just in.
	for _, c := range []struct {
		at  time.Time
		key string
	}{{before(3, 10, 15), "Q91"}, {ago(2), "Q92"}} {
		concern := id(c.at, c.key)
		g.add(c.at, y.p.id, cm(1), "ReceiveClientCall", "call-"+concern, map[string]any{
			"concern_id": concern, "client_number": g.clientNumber(), "summary": pick(g, concernSummaries)})
	}

	// A concern the provider could not resolve: forwarded to WSTA, whose recommendations came in
	// three hours ago and are due within 24 hours.
	received := before(9, 9, 30)
	concern := id(received, "Q93")
	g.add(received, y.p.id, cm(2), "ReceiveClientCall", "call-"+concern, map[string]any{
		"concern_id": concern, "client_number": g.clientNumber(), "summary": pick(g, concernSummaries)})
	g.add(received.Add(2*time.Hour), y.p.id, cm(2), "ReturnClientCall", "return-"+concern, map[string]any{"concern_id": concern})
	declared := before(5, 10, 0)
	g.add(declared, y.p.id, cm(2), "DeclareConcernUnresolved", "unresolved-"+concern, map[string]any{
		"concern_id": concern, "reason": "The client does not accept the provider's resolution."})
	g.add(declared.Add(30*time.Minute), y.p.id, cm(2), "ForwardConcernToWSTA", "forward-"+concern, map[string]any{
		"concern_id": concern, "reason": "Internal process exhausted; the client asked for a WSTA case review."})
	g.add(ago(3), y.p.id, cm(2), "ReceiveWSTARecommendation", "recommendation-"+concern, map[string]any{
		"concern_id": concern, "recommendation_id": "REC-" + concern,
		"recommendations": []string{"Meet the client with the work site supervisor.", "Confirm the agreed hours in writing."}})

	// An emergency disclosed five hours ago: the client must be seen within 48 hours.
	disclosed := ago(5)
	emergency := id(disclosed, "E9")
	g.add(disclosed, y.p.id, cm(0), "DiscloseEmergency", "emergency-"+emergency, map[string]any{
		"emergency_id": emergency, "client_number": g.clientNumber(), "track": events.TrackWorkFirst})

	// A change in circumstances learned eight business days ago, not yet reported (due in five).
	learned := before(8, 11, 0)
	change := id(learned, "X9")
	g.add(learned, y.p.id, cm(3), "LearnCircumstanceChange", "change-"+change, map[string]any{
		"change_id": change, "client_number": g.clientNumber(), "description": pick(g, changeDescriptions)})

	// Findings of recent file reviews, each due ten business days after its review: at ref-14,
	// one left open (overdue) and one corrected at ref-2 (late); at ref-9, due at the end of
	// ref+1 (due soon); at ref-7, due at the end of ref+3 (open, due this week).
	for _, r := range []struct {
		k, findings int
		corrected   []int // business days before ref at which each finding is corrected; 0: not yet
	}{{14, 2, []int{0, 2}}, {9, 1, []int{0}}, {7, 1, []int{0}}} {
		at := before(r.k, 10, 30)
		month := domain.DateOf(at).MonthOf().String()
		c := y.sampled[month][0]
		reviewer := y.sups[c.manager%2]
		reviewID := fmt.Sprintf("%s-R9%d", month, r.k%10)
		var findings []map[string]any
		for f := range r.findings {
			fid := fmt.Sprintf("%s-F%d", reviewID, f+1)
			findings = append(findings, map[string]any{"finding_id": fid, "category": pick(g, findingCategories),
				"negative": true, "description": "Found in a file review this month."})
			if k := r.corrected[f]; k > 0 {
				g.add(before(k, 15, 0), y.p.id, y.cms[c.manager], "CompleteCorrection", "correct-"+fid,
					map[string]any{"finding_id": fid, "note": "Corrected in the case file and noted in the CLNO."})
			}
		}
		g.add(at, y.p.id, reviewer, "RecordFileReview", "review-"+reviewID, map[string]any{
			"review_id": reviewID, "month": month, "case_id": c.id, "reviewer_id": reviewer.id, "findings": findings})
	}
}
