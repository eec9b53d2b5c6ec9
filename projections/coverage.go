package projections

import (
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/wsledger/wsledger/domain"
)

// Coverage is a provider's internal file-review coverage, month by month (due diligence B): how
// many files had to be reviewed, how many distinct cases were, and who reviewed which case.
type Coverage struct {
	Provider string          `json:"provider"`
	Months   []MonthCoverage `json:"months"`
}

// MonthCoverage is one month's file-review coverage, as domain.FileReviewCoverage decides it.
type MonthCoverage struct {
	Month string `json:"month"`
	// Reported is false while no caseload has been reported for the month.
	Reported bool `json:"reported"`
	Caseload int  `json:"caseload"` // cases in the month's latest caseload report
	Required int  `json:"required"` // domain.InternalReviewSampleSize(caseload)
	// Reviewed counts distinct cases of the month's caseload with at least one review; a case
	// reviewed twice counts once.
	Reviewed  int `json:"reviewed"`
	Remaining int `json:"remaining"`
	// Met: the 10% were reviewed and every case manager's files among them (due diligence B);
	// an empty caseload needs no review. MetAt is when it became so.
	Met   bool      `json:"met"`
	MetAt time.Time `json:"met_at,omitzero"`
	// CaseManagers is each case manager's cases and reviewed cases ("for each staff person").
	CaseManagers []domain.CaseManagerCoverage `json:"case_managers"`
	// SampleSeed and Sample are the month's reproducible draw, when one was recorded, and
	// SampleReviewed how many drawn cases were reviewed.
	SampleSeed     string   `json:"sample_seed,omitempty"`
	Sample         []string `json:"sample,omitempty"`
	SampleReviewed int      `json:"sample_reviewed"`
	// Reviews is the reviewer-independence record: every review of the month in log order.
	Reviews []ReviewRecord `json:"reviews"`
}

// ReviewRecord is one file review: who reviewed which case, the reviewer's role beside the case
// manager's, and whether the review was independent (due diligence B.1: by management, not by the
// case manager, not by a lateral colleague of the same role).
type ReviewRecord struct {
	ReviewID        string    `json:"review_id"`
	CaseID          string    `json:"case_id"`
	CaseManager     string    `json:"case_manager"`
	CaseManagerRole string    `json:"case_manager_role,omitempty"`
	Reviewer        string    `json:"reviewer"`
	ReviewerRole    string    `json:"reviewer_role"`
	Independent     bool      `json:"independent"`
	InSample        bool      `json:"in_sample"`
	At              time.Time `json:"at"`
	RecordedAt      time.Time `json:"recorded_at"`
	Findings        int       `json:"findings"`
	Negative        int       `json:"negative"`
}

// allTime is the instant a view without one is taken at: every event applied counts.
var allTime = time.Date(9999, time.December, 31, 0, 0, 0, 0, time.UTC)

func (m *model) coverage() Coverage {
	byMonth := map[string][]review{}
	for _, r := range m.st.Reviews {
		month := m.text(r.Month)
		byMonth[month] = append(byMonth[month], r)
	}
	c := Coverage{Provider: m.st.Provider, Months: []MonthCoverage{}}
	for _, month := range m.st.Book.FileReviewMonths() {
		c.Months = append(c.Months, m.monthCoverage(month, byMonth[month], allTime))
	}
	return c
}

// monthCoverage is a month's coverage at now from the book's one rule, with the month's sample and
// its reviews' independence record.
func (m *model) monthCoverage(month string, reviews []review, now time.Time) MonthCoverage {
	fc := m.st.Book.FileReviewCoverage(month, now)
	s := m.st.Samples[month]
	mc := MonthCoverage{
		Month: month, Reported: fc.Reported, Caseload: fc.Caseload, Required: fc.Required, Reviewed: fc.Reviewed,
		Remaining: fc.Remaining(), Met: fc.Met, MetAt: utc(fc.MetAt), CaseManagers: fc.CaseManagers,
		SampleSeed: s.Seed, Sample: s.CaseIDs, Reviews: []ReviewRecord{},
	}
	reviewed := map[string]bool{}
	for _, r := range reviews {
		if r.At.After(now) {
			continue
		}
		rec := ReviewRecord{
			ReviewID: r.ID, CaseID: r.CaseID, CaseManager: m.text(r.CaseManager), CaseManagerRole: m.text(r.CaseManagerRole),
			Reviewer: m.text(r.Reviewer), ReviewerRole: m.text(r.ReviewerRole), InSample: slices.Contains(s.CaseIDs, r.CaseID),
			At: r.At.Time(), RecordedAt: r.RecordedAt.Time(), Findings: int(r.Findings), Negative: int(r.Negative),
			Independent: r.Reviewer != r.CaseManager && domain.IsManagement(m.text(r.ReviewerRole)) && r.ReviewerRole != r.CaseManagerRole,
		}
		mc.Reviews = append(mc.Reviews, rec)
		if rec.InSample && !reviewed[r.CaseID] {
			reviewed[r.CaseID] = true
			mc.SampleReviewed++
		}
	}
	return mc
}

// WriteText renders the coverage table and the reviewer-independence record.
func (c Coverage) WriteText(w io.Writer) error {
	months := &table{
		title: "File-review coverage of " + c.Provider + " (due diligence B, B.3: at least 10% of the caseload, rounded up, each case manager's files among them)",
		head:  []string{"MONTH", "CASELOAD", "REQUIRED", "REVIEWED", "REMAINING", "MET", "SAMPLE REVIEWED"},
	}
	staff := &table{
		title: "Coverage by case manager (due diligence B: file reviews for each staff person)",
		head:  []string{"MONTH", "CASE MANAGER", "CASES", "REVIEWED"},
	}
	reviews := &table{
		title: "Reviewer independence (due diligence B.1)",
		head:  []string{"MONTH", "REVIEW", "CASE", "CASE MANAGER", "REVIEWER", "INDEPENDENT", "IN SAMPLE", "AT"},
	}
	for _, m := range c.Months {
		caseload := itoa(m.Caseload)
		if !m.Reported {
			caseload = "not reported"
		}
		months.add(m.Month, caseload, itoa(m.Required), itoa(m.Reviewed), itoa(m.Remaining), yesNo(m.Met),
			fmt.Sprintf("%d of %d", m.SampleReviewed, len(m.Sample)))
		for _, cm := range m.CaseManagers {
			staff.add(m.Month, cm.CaseManager, itoa(cm.Cases), itoa(cm.Reviewed))
		}
		for _, r := range m.Reviews {
			reviews.add(m.Month, r.ReviewID, r.CaseID, r.CaseManager+" ("+orDash(r.CaseManagerRole)+")",
				r.Reviewer+" ("+r.ReviewerRole+")", yesNo(r.Independent), yesNo(r.InSample), localTime(r.At))
		}
	}
	return writeTables(w, months, staff, reviews)
}

// sortedKeys returns a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
