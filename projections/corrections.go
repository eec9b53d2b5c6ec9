package projections

import (
	"fmt"
	"io"
	"time"

	"github.com/wsledger/wsledger/domain"
)

// Corrections is a provider's findings and their corrections at an instant (due diligence C:
// every negative finding corrected within 10 business days), in total, by category and by the
// month the finding was made.
type Corrections struct {
	Provider   string                `json:"provider"`
	At         time.Time             `json:"at"`
	Totals     CorrectionCounts      `json:"totals"`
	ByCategory []CategoryCorrections `json:"by_category"`
	// ByMonth follows the findings of each month (Alaska time) to where they stand at At.
	ByMonth []MonthCorrections `json:"by_month"`
	// Findings lists every negative finding, by the instant it was made.
	Findings []FindingStatus `json:"findings"`
}

// CorrectionCounts counts findings and where their corrections stand.
type CorrectionCounts struct {
	Findings     int `json:"findings"` // every finding, positive ones too
	Negative     int `json:"negative"` // findings that need a correction
	Open         int `json:"open"`     // not corrected and not yet overdue
	Overdue      int `json:"overdue"`
	ClosedOnTime int `json:"closed_on_time"`
	ClosedLate   int `json:"closed_late"`
}

func (c *CorrectionCounts) add(negative bool, s domain.Status) {
	c.Findings++
	if !negative {
		return
	}
	c.Negative++
	switch s {
	case domain.StatusOverdue:
		c.Overdue++
	case domain.StatusMetOnTime:
		c.ClosedOnTime++
	case domain.StatusMetLate:
		c.ClosedLate++
	default:
		c.Open++
	}
}

// CategoryCorrections counts the findings of one category.
type CategoryCorrections struct {
	Category string `json:"category"`
	CorrectionCounts
}

// MonthCorrections counts the findings made in one month.
type MonthCorrections struct {
	Month string `json:"month"`
	CorrectionCounts
}

// FindingStatus is one negative finding and its correction.
type FindingStatus struct {
	FindingID   string        `json:"finding_id"`
	Source      string        `json:"source"` // file_review, wsqr or dpa_report
	SourceID    string        `json:"source_id"`
	Category    string        `json:"category"`
	Owner       string        `json:"owner,omitempty"`
	FoundAt     time.Time     `json:"found_at"`
	Due         time.Time     `json:"due"`
	CorrectedAt time.Time     `json:"corrected_at,omitzero"`
	Status      domain.Status `json:"status"`
	LateSeconds int64         `json:"late_seconds"`
	Late        string        `json:"late,omitempty"`
}

func (m *model) corrections(ob obligationsAt) Corrections {
	now := ob.now
	c := Corrections{Provider: m.st.Provider, At: now.UTC(), ByCategory: []CategoryCorrections{}, ByMonth: []MonthCorrections{}, Findings: []FindingStatus{}}
	byCategory, byMonth := map[string]*CorrectionCounts{}, map[string]*CorrectionCounts{}
	for _, f := range m.st.Findings {
		if f.At.After(now) {
			continue
		}
		var status domain.Status
		if f.Negative {
			o, ok := ob.get(domain.ObligationCorrection + ":" + f.ID)
			if !ok {
				continue // a finding id used twice: the book keeps the first
			}
			d := newDeadline(o, now, m.policy)
			status = d.Status
			c.Findings = append(c.Findings, FindingStatus{
				FindingID: f.ID, Source: m.text(f.Source), SourceID: f.SourceID, Category: m.text(f.Category), Owner: d.Owner,
				FoundAt: d.OpenedAt, Due: d.Due, CorrectedAt: d.MetAt, Status: d.Status, LateSeconds: d.LateSeconds, Late: d.Late,
			})
		}
		c.Totals.add(f.Negative, status)
		counter(byCategory, m.text(f.Category)).add(f.Negative, status)
		counter(byMonth, domain.DateOf(f.At.Time()).MonthOf().String()).add(f.Negative, status)
	}
	for _, k := range sortedKeys(byCategory) {
		c.ByCategory = append(c.ByCategory, CategoryCorrections{Category: k, CorrectionCounts: *byCategory[k]})
	}
	for _, k := range sortedKeys(byMonth) {
		c.ByMonth = append(c.ByMonth, MonthCorrections{Month: k, CorrectionCounts: *byMonth[k]})
	}
	return c
}

func counter[T any](m map[string]*T, key string) *T {
	if m[key] == nil {
		m[key] = new(T)
	}
	return m[key]
}

// WriteText renders the corrections by category, by month and finding by finding.
func (c Corrections) WriteText(w io.Writer) error {
	head := []string{"", "FINDINGS", "NEGATIVE", "OPEN", "OVERDUE", "CLOSED ON TIME", "CLOSED LATE"}
	row := func(t *table, name string, n CorrectionCounts) {
		t.add(name, itoa(n.Findings), itoa(n.Negative), itoa(n.Open), itoa(n.Overdue), itoa(n.ClosedOnTime), itoa(n.ClosedLate))
	}
	cats := &table{title: fmt.Sprintf("Corrections of %s at %s (due diligence C: within 10 business days), by category", c.Provider, localTime(c.At)), head: head}
	for _, k := range c.ByCategory {
		row(cats, k.Category, k.CorrectionCounts)
	}
	row(cats, "total", c.Totals)
	months := &table{title: "By the month the finding was made", head: head}
	for _, k := range c.ByMonth {
		row(months, k.Month, k.CorrectionCounts)
	}
	list := &table{title: "Negative findings", head: []string{"FINDING", "SOURCE", "CATEGORY", "FOUND", "DUE", "CORRECTED", "STATUS", "LATE"}}
	for _, f := range c.Findings {
		list.add(f.FindingID, f.Source+" "+f.SourceID, f.Category, localTime(f.FoundAt), localDue(f.Due), localTime(f.CorrectedAt), string(f.Status), orDash(f.Late))
	}
	return writeTables(w, cats, months, list)
}
