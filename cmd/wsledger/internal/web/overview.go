package web

import (
	"net/http"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/auth"
	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/projections"
)

// overviewData is a provider's overview page.
type overviewData struct {
	Provider    string
	O           projections.Overview
	Attention   []deadlineRow // overdue first, then due within the week
	Corrections []findingRow  // negative findings not yet corrected
	Callbacks   []callbackRow // concerns whose call was not returned
	// The lists hold at most overviewRows each; these count them all.
	AttentionTotal, CorrectionsTotal, CallbacksTotal int
	CanCorrect                                       bool
	Recorded                                         string // the finding just corrected through the form, if any
}

// overviewRows is how many rows each list of the overview shows; the deadlines page has the rest.
const overviewRows = 20

// moreLink says that a list shows only its first rows, and where the rest are.
type moreLink struct {
	Shown, Total int
	Href         string
}

func newMoreLink(shown, total int, href string) moreLink { return moreLink{shown, total, href} }

// Hidden reports whether rows are left out.
func (m moreLink) Hidden() bool { return m.Total > m.Shown }

type deadlineRow struct {
	projections.Deadline
	Status statusText
}

type findingRow struct {
	projections.FindingStatus
	Status statusText
}

type callbackRow struct {
	projections.ConcernStatus
	Status statusText
}

// overview serves a provider's overview: what is overdue and due this week, with how late and
// whose; file-review coverage this month; open corrections; concerns waiting for a callback;
// and performance confirmation.
func (d *Dashboard) overview(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	provider, now := r.PathValue("provider"), d.cfg.Now()
	a, err := d.cfg.Views.Attention(provider, now, overviewRows)
	if err != nil {
		d.serverError(w, r, p, err)
		return
	}
	data := overviewData{
		Provider: provider, O: a.Overview, CanCorrect: canCorrect(p, provider), Recorded: r.URL.Query().Get("recorded"),
		AttentionTotal: a.DeadlinesTotal, CorrectionsTotal: a.FindingsTotal, CallbacksTotal: a.CallbacksTotal,
	}
	for _, it := range a.Deadlines {
		data.Attention = append(data.Attention, deadlineRow{it, d.describe(it.Status, it.Due, it.MetAt, now)})
	}
	for _, f := range a.Findings {
		data.Corrections = append(data.Corrections, findingRow{f, d.describe(f.Status, f.Due, f.CorrectedAt, now)})
	}
	for _, c := range a.Callbacks {
		status := domain.StatusOpen
		if !now.Before(c.CallbackDue) {
			status = domain.StatusOverdue
		}
		data.Callbacks = append(data.Callbacks, callbackRow{c, d.describe(status, c.CallbackDue, time.Time{}, now)})
	}
	d.render(w, r, http.StatusOK, "overview", page{
		Title: titleOf(a.Overview), User: &p, Nav: providerTabs(p, provider, "Overview"), Live: "provider:" + provider, At: now, Data: data,
	})
}

func (d *Dashboard) describe(s domain.Status, due, metAt, now time.Time) statusText {
	return describe(d.cfg.Policy.Calendar, s, due, metAt, now)
}

// titleOf names a provider: its registered name, or its id before it has one.
func titleOf(o projections.Overview) string {
	if o.Name != "" {
		return o.Name
	}
	return o.Provider
}
