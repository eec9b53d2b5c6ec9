package web

import (
	"net/http"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/auth"
	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/projections"
)

// concernsData is the concerns page: a provider's client concerns, as the projections keep them,
// those the filter selects, and WSTA's recommendations.
type concernsData struct {
	Provider        string
	Summary         projections.ConcernSummary
	Filter          concernFilter
	States          []option
	Rows            []concernRow
	Channels        bool // some concern says by which channel it came
	Recommendations []recommendationRow
	CanOpen         bool // the viewer may open the events behind the rows
	View            viewpoint
}

// concernFilter selects concerns by where they stand: "" (every one), open, waiting (for the
// callback, as the projections count it: a call or voicemail not returned), forwarded (to WSTA)
// or resolved.
type concernFilter string

var concernStates = []struct{ Value, Label string }{
	{"open", "Open"}, {"waiting", "Waiting for a callback"}, {"forwarded", "Forwarded to WSTA"}, {"resolved", "Resolved"},
}

func (f concernFilter) keeps(c projections.ConcernStatus) bool {
	switch f {
	case "open":
		return c.State != projections.ConcernResolved
	case "waiting":
		return c.AwaitingCallback()
	case "forwarded":
		return !c.ForwardedAt.IsZero()
	case "resolved":
		return c.State == projections.ConcernResolved
	}
	return true
}

// apply returns the concerns the filter keeps.
func (f concernFilter) apply(items []projections.ConcernStatus) []projections.ConcernStatus {
	out := []projections.ConcernStatus{}
	for _, c := range items {
		if f.keeps(c) {
			out = append(out, c)
		}
	}
	return out
}

// concernRow is a concern as the page shows it, each step with the instant the record links by.
type concernRow struct {
	projections.ConcernStatus
	Callback statusText
	Notice   statusText // telling WSTA of the resolution
}

type recommendationRow struct {
	projections.RecommendationStatus
	Status statusText
}

// concerns serves a provider's client concerns: received, waiting for a callback, forwarded to
// WSTA, resolved, with the callback and the WSTA notice of each and the channel it came by when
// the ledger records one; now or as of a past instant.
func (d *Dashboard) concerns(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	provider := r.PathValue("provider")
	src, vp, ok := d.sourceFor(w, r, p, provider, d.cfg.Now())
	if !ok {
		return
	}
	now := src.At()
	c, err := src.Concerns()
	if err != nil {
		d.serverError(w, r, p, err)
		return
	}
	f := concernFilter(r.URL.Query().Get("state"))
	data := concernsData{Provider: provider, Summary: c.Summary, Filter: f, CanOpen: canAudit(p, provider), View: vp}
	for _, s := range concernStates {
		data.States = append(data.States, option{s.Value, s.Label, s.Value == string(f)})
	}
	for _, k := range f.apply(c.Items) {
		row := concernRow{ConcernStatus: k, Callback: d.callbackText(k, now)}
		if k.WSTANotice != "" {
			row.Notice = noticeText(k.WSTANotice)
		}
		data.Channels = data.Channels || row.Channel != ""
		data.Rows = append(data.Rows, row)
	}
	for _, rec := range c.Recommendations {
		data.Recommendations = append(data.Recommendations, recommendationRow{rec, d.describe(rec.Status, rec.Due, rec.ImplementedAt, now)})
	}
	d.render(w, r, http.StatusOK, "concerns", providerPage(r, p, provider, "Concerns", "Concerns of "+provider, vp, now, data))
}

// callbackText says whether the client's call was returned within one business day, or that a
// concern that came by another channel has no callback to return.
func (d *Dashboard) callbackText(c projections.ConcernStatus, now time.Time) statusText {
	switch {
	case c.Callback == projections.CallbackNotRequired:
		return statusText{"", "–", "No callback: not a call or voicemail"}
	case !c.ReturnedAt.IsZero() && c.Callback == projections.CallbackYes:
		return statusText{"ok", "✓", "Returned within a business day"}
	case !c.ReturnedAt.IsZero():
		return statusText{string(domain.StatusMetLate), "✓", "Returned " + lateBy(d.cfg.Policy.Calendar, c.CallbackDue, c.ReturnedAt) + " late"}
	case !now.Before(c.CallbackDue):
		return statusText{string(domain.StatusOverdue), "⚠", "Waiting: " + lateness(d.cfg.Policy.Calendar, c.CallbackDue, now)}
	}
	return statusText{string(domain.StatusDueSoon), "◷", "Waiting: " + dueIn(d.cfg.Policy.Calendar, c.CallbackDue, now)}
}

// noticeText says where telling WSTA of a resolution stands: the status of that duty.
func noticeText(s domain.Status) statusText {
	switch s {
	case domain.StatusMetOnTime, domain.StatusMetLate:
		return statusText{"ok", "✓", "WSTA notified"}
	case domain.StatusOverdue:
		return statusText{string(s), "⚠", "WSTA not notified, overdue"}
	}
	return statusText{string(s), "◷", "WSTA to be notified"}
}

// Export is the address of the export of the concerns the filter selects, as format.
func (c concernsData) Export(format string) string {
	return c.View.with("/providers/"+c.Provider+"/concerns."+format, map[string][]string{"state": {string(c.Filter)}})
}

// Active reports whether the filter selects some concerns only.
func (f concernFilter) Active() bool { return f != "" }
