package web

import (
	"net/http"
	"sync"
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
	CanCorrect  bool
	Recorded    string // the finding just corrected through the form, if any
}

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
	// The four views are computed independently; reading them at once keeps live updates quick.
	var (
		o   projections.Overview
		dl  projections.Deadlines
		cs  projections.Corrections
		cn  projections.Concerns
		err error
		wg  sync.WaitGroup
	)
	wg.Go(func() { o, err = d.cfg.Views.Overview(provider, now) })
	wg.Go(func() { dl, _ = d.cfg.Views.Deadlines(provider, now) })
	wg.Go(func() { cs, _ = d.cfg.Views.Corrections(provider, now) })
	wg.Go(func() { cn, _ = d.cfg.Views.Concerns(provider, now) })
	wg.Wait()
	if err != nil {
		d.serverError(w, r, p, err)
		return
	}
	data := overviewData{
		Provider: provider, O: o, CanCorrect: canCorrect(p, provider), Recorded: r.URL.Query().Get("recorded"),
		Attention:   d.attention(dl.Items, now),
		Corrections: d.openFindings(cs.Findings, now),
		Callbacks:   d.awaitingCallback(cn.Items, now),
	}
	d.render(w, r, http.StatusOK, "overview", page{
		Title: titleOf(o), User: &p, Nav: providerTabs(p, provider, "Overview"), Live: "provider:" + provider, At: now, Data: data,
	})
}

// attention returns the overdue obligations, then those due within seven days, each by due
// instant: the same rule as projections.Overview's counts.
func (d *Dashboard) attention(items []projections.Deadline, now time.Time) []deadlineRow {
	var overdue, soon []deadlineRow
	for _, it := range items {
		row := deadlineRow{it, d.describe(it.Status, it.Due, it.MetAt, now)}
		switch {
		case it.Status == domain.StatusOverdue:
			overdue = append(overdue, row)
		case it.MetAt.IsZero() && it.Due.Before(now.Add(7*24*time.Hour)):
			soon = append(soon, row)
		}
	}
	return append(overdue, soon...)
}

func (d *Dashboard) openFindings(fs []projections.FindingStatus, now time.Time) []findingRow {
	var out []findingRow
	for _, f := range fs {
		if f.CorrectedAt.IsZero() {
			out = append(out, findingRow{f, d.describe(f.Status, f.Due, f.CorrectedAt, now)})
		}
	}
	return out
}

func (d *Dashboard) awaitingCallback(items []projections.ConcernStatus, now time.Time) []callbackRow {
	var out []callbackRow
	for _, c := range items {
		if c.ReturnedAt.IsZero() {
			status := domain.StatusOpen
			if !now.Before(c.CallbackDue) {
				status = domain.StatusOverdue
			}
			out = append(out, callbackRow{c, d.describe(status, c.CallbackDue, time.Time{}, now)})
		}
	}
	return out
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
