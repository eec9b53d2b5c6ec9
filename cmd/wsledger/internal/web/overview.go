package web

import (
	"fmt"
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
	CanCorrect, CanAudit                             bool
	Recorded                                         string // the finding just corrected through the form, if any
	View                                             viewpoint
}

// overviewRows is how many rows each list of the overview shows; the deadlines page has the rest.
const overviewRows = 20

// moreLink says that a list shows only its first rows, and where the rest are.
type moreLink struct {
	Shown, Total int
	Href         string
}

func newMoreLink(shown, total int, href any) moreLink {
	return moreLink{shown, total, fmt.Sprint(href)}
}

// Hidden reports whether rows are left out.
func (m moreLink) Hidden() bool { return m.Total > m.Shown }

// deadlineRow, findingRow and callbackRow are the rows of the dashboard's tables: the fields
// the templates show, copied rather than embedded, because a template looks up a field of an
// embedded struct through reflection's breadth-first search, which allocates on every row.
type deadlineRow struct {
	Kind, Subject, Owner, Source string
	Required, Done               int
	OpenedAt, Due, MetAt         time.Time
	Status                       statusText
	OpenLink, MetLink            string // the events that opened and met it (deadlineRow.links)
	Note, Warning                string
	Remarks                      []string
	RecordedAt                   time.Time // of what met it
	EnteredLate                  bool
	EntryLagBusinessDays         int
}

func newDeadlineRow(it projections.Deadline, status statusText) deadlineRow {
	return deadlineRow{
		Kind: it.Kind, Subject: it.Subject, Owner: it.Owner, Source: it.Source,
		Required: it.Required, Done: it.Done, OpenedAt: it.OpenedAt, Due: it.Due, MetAt: it.MetAt, Status: status,
		Note: it.Note, Warning: it.Warning, Remarks: it.Remarks,
		RecordedAt: it.RecordedAt, EnteredLate: it.EnteredLate.Value, EntryLagBusinessDays: it.EntryLagBusinessDays.Value,
	}
}

type findingRow struct {
	FindingID, Category, Source, SourceID, Owner string
	Due                                          time.Time
	Status                                       statusText
}

func newFindingRow(f projections.FindingStatus, status statusText) findingRow {
	return findingRow{
		FindingID: f.FindingID, Category: f.Category, Source: f.Source, SourceID: f.SourceID,
		Owner: f.Owner, Due: f.Due, Status: status,
	}
}

type callbackRow struct {
	ConcernID, Owner string
	ReceivedAt       time.Time
	AgeBusinessDays  int
	Status           statusText
}

// overview serves a provider's overview: what is overdue and due this week, with how late and
// whose; file-review coverage this month; open corrections; concerns waiting for a callback;
// performance confirmation; and the state of the hash chain. Now, it is kept for a second
// (overviewCache); as of a past instant, it is rebuilt from the log.
func (d *Dashboard) overview(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	provider, now, recorded := r.PathValue("provider"), d.cfg.Now(), r.URL.Query().Get("recorded")
	vp := readViewpoint(r)
	var key overviewKey
	keep := recorded == "" && !vp.Past() && vp.Error == "" // the page right after a correction says so: not worth keeping
	if keep {
		stamp, err := d.cfg.Views.AttentionStamp(provider, now)
		if err != nil {
			d.serverError(w, r, p, err)
			return
		}
		key = overviewKey{provider, stamp, p.StaffID, p.Role, p.Provider, r.URL.Query().Has("partial")}
		if page, ok := d.overviews.get(key, now); ok {
			writeHTML(w, page)
			return
		}
	}
	src, vp, ok := d.sourceFor(w, r, p, provider, now)
	if !ok {
		return
	}
	now = src.At()
	a, err := src.Attention(overviewRows)
	if err != nil {
		d.serverError(w, r, p, err)
		return
	}
	data := overviewData{
		Provider: provider, O: a.Overview, CanCorrect: canCorrect(p, provider) && !vp.Past(), Recorded: recorded, View: vp,
		CanAudit:       canAudit(p, provider),
		AttentionTotal: a.DeadlinesTotal, CorrectionsTotal: a.FindingsTotal, CallbacksTotal: a.CallbacksTotal,
	}
	for _, it := range a.Deadlines {
		row := newDeadlineRow(it, d.describe(it.Status, it.Due, it.MetAt, now))
		row.links(provider, data.CanAudit)
		data.Attention = append(data.Attention, row)
	}
	for _, f := range a.Findings {
		data.Corrections = append(data.Corrections, newFindingRow(f, d.describe(f.Status, f.Due, f.CorrectedAt, now)))
	}
	for _, c := range a.Callbacks {
		status := domain.StatusOpen
		if !now.Before(c.CallbackDue) {
			status = domain.StatusOverdue
		}
		data.Callbacks = append(data.Callbacks, callbackRow{c.ConcernID, c.Owner, c.ReceivedAt, c.AgeBusinessDays, d.describe(status, c.CallbackDue, time.Time{}, now)})
	}
	pg := providerPage(r, p, provider, "Overview", titleOf(a.Overview), vp, now, data)
	if !keep {
		d.render(w, r, http.StatusOK, "overview", pg)
		return
	}
	buf, ok := d.renderPage(w, r, "overview", pg)
	if !ok {
		return
	}
	defer putRenderBuffer(buf)
	d.overviews.put(key, now, buf.Bytes())
	writeHTML(w, buf.Bytes())
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
