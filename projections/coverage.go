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

// MonthCoverage is one month's file-review coverage.
type MonthCoverage struct {
	Month    string `json:"month"`
	Caseload int    `json:"caseload"` // cases in the month's latest caseload report
	Required int    `json:"required"` // domain.InternalReviewSampleSize(caseload)
	// Reviewed counts distinct cases of the month's caseload with at least one review; a case
	// reviewed twice counts once.
	Reviewed  int  `json:"reviewed"`
	Remaining int  `json:"remaining"`
	Met       bool `json:"met"`
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

func (m *model) coverage() Coverage {
	months := map[string]bool{}
	for month := range m.st.Caseloads {
		months[month] = true
	}
	byMonth := map[string][]review{}
	for _, r := range m.st.Reviews {
		month := m.text(r.Month)
		months[month] = true
		byMonth[month] = append(byMonth[month], r)
	}
	c := Coverage{Provider: m.st.Provider, Months: []MonthCoverage{}}
	for _, month := range sortedKeys(months) {
		c.Months = append(c.Months, m.monthCoverage(month, byMonth[month]))
	}
	return c
}

func (m *model) monthCoverage(month string, reviews []review) MonthCoverage {
	inCaseload := map[string]bool{}
	for _, id := range m.st.Caseloads[month] {
		inCaseload[id] = true
	}
	s := m.st.Samples[month]
	mc := MonthCoverage{
		Month: month, Caseload: len(inCaseload), Required: domain.InternalReviewSampleSize(len(inCaseload)),
		SampleSeed: s.Seed, Sample: s.CaseIDs, Reviews: []ReviewRecord{},
	}
	reviewed := map[string]bool{}
	for _, r := range reviews {
		rec := ReviewRecord{
			ReviewID: r.ID, CaseID: r.CaseID, CaseManager: m.text(r.CaseManager), CaseManagerRole: m.text(r.CaseManagerRole),
			Reviewer: m.text(r.Reviewer), ReviewerRole: m.text(r.ReviewerRole), InSample: slices.Contains(s.CaseIDs, r.CaseID),
			At: r.At.Time(), RecordedAt: r.RecordedAt.Time(), Findings: int(r.Findings), Negative: int(r.Negative),
			Independent: r.Reviewer != r.CaseManager && domain.IsManagement(m.text(r.ReviewerRole)) && r.ReviewerRole != r.CaseManagerRole,
		}
		mc.Reviews = append(mc.Reviews, rec)
		if inCaseload[r.CaseID] && !reviewed[r.CaseID] {
			reviewed[r.CaseID] = true
			mc.Reviewed++
			if rec.InSample {
				mc.SampleReviewed++
			}
		}
	}
	mc.Remaining = max(mc.Required-mc.Reviewed, 0)
	mc.Met = len(inCaseload) > 0 && mc.Remaining == 0
	return mc
}

// WriteText renders the coverage table and the reviewer-independence record.
func (c Coverage) WriteText(w io.Writer) error {
	months := &table{
		title: "File-review coverage of " + c.Provider + " (due diligence B.3: at least 10% of the caseload, rounded up)",
		head:  []string{"MONTH", "CASELOAD", "REQUIRED", "REVIEWED", "REMAINING", "MET", "SAMPLE REVIEWED"},
	}
	reviews := &table{
		title: "Reviewer independence (due diligence B.1)",
		head:  []string{"MONTH", "REVIEW", "CASE", "CASE MANAGER", "REVIEWER", "INDEPENDENT", "IN SAMPLE", "AT"},
	}
	for _, m := range c.Months {
		months.add(m.Month, itoa(m.Caseload), itoa(m.Required), itoa(m.Reviewed), itoa(m.Remaining), yesNo(m.Met),
			fmt.Sprintf("%d of %d", m.SampleReviewed, len(m.Sample)))
		for _, r := range m.Reviews {
			reviews.add(m.Month, r.ReviewID, r.CaseID, r.CaseManager+" ("+orDash(r.CaseManagerRole)+")",
				r.Reviewer+" ("+r.ReviewerRole+")", yesNo(r.Independent), yesNo(r.InSample), localTime(r.At))
		}
	}
	return writeTables(w, months, reviews)
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
