package domain

import (
	"slices"
	"time"
)

// FileReviewCoverage is where a month's internal file review stands (due diligence B): how many
// files the month's latest caseload asks for, how many distinct cases of it were reviewed, and
// whose. Every view reads it from Book.FileReviewCoverage, the one rule for whether the month's
// review duty is met.
type FileReviewCoverage struct {
	Month string `json:"month"`
	// Reported is false while no caseload has been reported for the month: the number of files
	// to review is not known.
	Reported bool `json:"reported"`
	Caseload int  `json:"caseload"` // cases in the month's latest caseload
	Required int  `json:"required"` // InternalReviewSampleSize(Caseload), B.3's minimum
	// Reviewed counts distinct cases of the latest caseload with a review; a case reviewed twice,
	// or a case no longer in the caseload, adds nothing.
	Reviewed int `json:"reviewed"`
	// CaseManagers is every staff person carrying a case in the caseload, by staff id, with how
	// many of their cases were reviewed: B asks for file reviews "for each staff person".
	CaseManagers []CaseManagerCoverage `json:"case_managers"`
	// Met: a caseload was reported, at least Required of its cases were reviewed and every
	// case manager has at least one reviewed case (an empty caseload needs no review). MetAt is
	// the instant it became so: the review that completed it, or the report of an empty caseload.
	Met   bool      `json:"met"`
	MetAt time.Time `json:"met_at,omitzero"`
	// MetRecordedAt is when the ledger recorded what completed it.
	MetRecordedAt time.Time `json:"met_recorded_at,omitzero"`
}

// CaseManagerCoverage is one case manager's share of a month's caseload and of its reviews.
type CaseManagerCoverage struct {
	CaseManager string `json:"case_manager"`
	Cases       int    `json:"cases"`
	Reviewed    int    `json:"reviewed"`
}

// Remaining is how many more distinct cases must be reviewed to reach Required.
func (c FileReviewCoverage) Remaining() int { return max(c.Required-c.Reviewed, 0) }

// Unreviewed returns the case managers none of whose cases has been reviewed, by staff id.
func (c FileReviewCoverage) Unreviewed() []string {
	var out []string
	for _, m := range c.CaseManagers {
		if m.Reviewed == 0 {
			out = append(out, m.CaseManager)
		}
	}
	return out
}

// FileReviewCoverage returns month's coverage at now: reviews that happened after now do not
// count. month is written YYYY-MM.
func (b *Book) FileReviewCoverage(month string, now time.Time) FileReviewCoverage {
	return b.state.fileReviewCoverage(month, now)
}

// FileReviewMonths returns every month with a caseload or a file review, in order.
func (b *Book) FileReviewMonths() []string {
	s := b.state
	months := make([]string, 0, len(s.caseloads)+len(s.monthReviews))
	for m := range s.caseloads {
		months = append(months, m)
	}
	for m := range s.monthReviews {
		if _, ok := s.caseloads[m]; !ok {
			months = append(months, m)
		}
	}
	slices.Sort(months)
	return months
}

// fileReviewCoverage counts the month's reviews up to now, in the order they happened, against
// the month's latest caseload.
func (s *State) fileReviewCoverage(month string, now time.Time) FileReviewCoverage {
	c := FileReviewCoverage{Month: month, CaseManagers: []CaseManagerCoverage{}}
	cl := s.caseloads[month]
	if cl == nil {
		return c
	}
	c.Reported, c.Caseload, c.Required = true, len(cl.order), InternalReviewSampleSize(len(cl.order))
	index := make(map[string]int, len(cl.managers))
	for i, id := range cl.managers {
		index[id] = i
		c.CaseManagers = append(c.CaseManagers, CaseManagerCoverage{CaseManager: id})
	}
	for _, k := range cl.cases {
		c.CaseManagers[index[k.CaseManagerID]].Cases++
	}
	uncovered := len(cl.managers)
	if c.Required == 0 && !cl.reported.at.After(now) {
		c.Met, c.MetAt, c.MetRecordedAt = true, cl.reported.at, cl.reported.recorded
	}
	reviews := slices.Clone(s.monthReviews[month])
	slices.SortStableFunc(reviews, func(a, b *reviewRecord) int { return a.at.Compare(b.at) })
	seen := make(map[string]bool, len(reviews))
	for _, r := range reviews {
		k, inCaseload := cl.cases[r.caseID]
		if r.at.After(now) || !inCaseload || seen[r.caseID] {
			continue
		}
		seen[r.caseID] = true
		c.Reviewed++
		m := &c.CaseManagers[index[k.CaseManagerID]]
		if m.Reviewed++; m.Reviewed == 1 {
			uncovered--
		}
		if !c.Met && c.Reviewed >= c.Required && uncovered == 0 {
			c.Met, c.MetAt, c.MetRecordedAt = true, r.at, r.recorded
		}
	}
	return c
}
