package web

import (
	"html/template"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/auth"
	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/projections"
)

// auditPageSize is how many events one page of the audit trail shows.
const auditPageSize = 100

// auditData is the audit-trail page.
type auditData struct {
	Provider    string
	Trail       projections.AuditTrail
	Rows        []auditRow
	Form        auditForm
	Page, Pages int
	TypeSelect  filterSelect
	Links       auditLinks
	Error       string
	// Verifiable says the verification page can run the whole-store check.
	Verifiable bool
}

// auditLinks keep the filter: the exports and the neighbouring pages.
type auditLinks struct{ CSV, JSONL, Earlier, Later template.URL }

type auditRow struct {
	projections.AuditEntry
	OK   bool
	Link string // the event's page
}

// auditForm is the filter form: dates in Alaska (YYYY-MM-DD), a clock and an event type; and
// the viewpoint, whose instant ends the trail (on the same clock as the dates).
type auditForm struct {
	From, To, Clock, Type string
	View                  viewpoint
}

// filter reads the form into a projections.AuditFilter; an error names the field at fault. A
// past viewpoint ends the trail at its instant.
func (f auditForm) filter() (projections.AuditFilter, error) {
	out := projections.AuditFilter{Clock: events.Clock(f.Clock)}
	if f.View.Error != "" {
		return out, events.Errorf(events.Invalid, "as_of", "%s", f.View.Error)
	}
	if f.From != "" {
		d, err := domain.ParseDate(f.From)
		if err != nil {
			return out, events.Errorf(events.Invalid, "from", "The start date must be a real day written YYYY-MM-DD.")
		}
		out.From = d.Start()
	}
	if f.To != "" {
		d, err := domain.ParseDate(f.To)
		if err != nil {
			return out, events.Errorf(events.Invalid, "to", "The end date must be a real day written YYYY-MM-DD.")
		}
		out.To = d.End().Add(-time.Nanosecond) // the whole day, both ends inclusive
	}
	if f.View.Past() && (out.To.IsZero() || f.View.AsOf.Before(out.To)) {
		out.To = f.View.AsOf
	}
	if f.Type != "" {
		out.Types = []string{f.Type}
	}
	return out, nil
}

func readAuditForm(r *http.Request) auditForm {
	q := r.URL.Query()
	return auditForm{From: q.Get("from"), To: q.Get("to"), Clock: q.Get("clock"), Type: q.Get("type"), View: readViewpoint(r)}
}

// link returns the path with the form's filter (and page, when above 0) as its query. The
// values are query-escaped, so the result is a safe URL.
func (f auditForm) link(path string, page int) template.URL {
	v := f.View.values()
	for k, x := range map[string]string{"from": f.From, "to": f.To, "clock": f.Clock, "type": f.Type} {
		if x != "" {
			v.Set(k, x)
		}
	}
	if page > 0 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return template.URL(path)
	}
	return template.URL(path + "?" + v.Encode())
}

// audit serves a provider's history in log order with the verification of every event, a
// filter, and the exports.
func (d *Dashboard) audit(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	provider, now := r.PathValue("provider"), d.cfg.Now()
	form := readAuditForm(r)
	base := "/providers/" + provider + "/audit"
	data := auditData{Provider: provider, Form: form, Page: 1, Verifiable: d.cfg.Verify != nil,
		Links: auditLinks{CSV: form.link(base+".csv", 0), JSONL: form.link(base+".jsonl", 0)}}
	status := http.StatusOK
	if form.View.Past() {
		now = form.View.AsOf
	}
	f, err := form.filter()
	if err == nil {
		data.Trail, err = d.cfg.Views.Audit(r.Context(), provider, f)
	}
	switch {
	case events.ErrorCode(err) == events.Invalid:
		data.Error, status = err.(*events.Error).Message, http.StatusBadRequest
	case err != nil:
		d.serverError(w, r, p, err)
		return
	}
	data.Pages = max(1, (len(data.Trail.Entries)+auditPageSize-1)/auditPageSize)
	if n, err := strconv.Atoi(r.URL.Query().Get("page")); err == nil {
		data.Page = min(max(n, 1), data.Pages)
	}
	if data.Page > 1 {
		data.Links.Earlier = form.link(base, data.Page-1)
	}
	if data.Page < data.Pages {
		data.Links.Later = form.link(base, data.Page+1)
	}
	lo := (data.Page - 1) * auditPageSize
	for _, e := range data.Trail.Entries[lo:min(lo+auditPageSize, len(data.Trail.Entries))] {
		data.Rows = append(data.Rows, auditRow{e, e.Verification == projections.Verified, eventLink(e.Envelope)})
	}
	data.TypeSelect = filterSelect{ID: "a-type", Name: "type", Label: "Event type", Any: "Any type"}
	for _, t := range events.Catalogue.Types() {
		data.TypeSelect.Options = append(data.TypeSelect.Options, option{t, t, t == form.Type})
	}
	d.render(w, r, status, "audit", providerPage(r, p, provider, "Audit trail", "Audit trail of "+provider, form.View, now, data))
}

// auditCSV exports the filtered trail as CSV: every envelope field but the payload.
func (d *Dashboard) auditCSV(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	d.export(w, r, p, "csv", "text/csv; charset=utf-8", projections.AuditTrail.WriteCSV)
}

// auditJSONL exports the filtered trail as JSON Lines: whole events, payloads included, from
// which every hash can be recomputed.
func (d *Dashboard) auditJSONL(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	d.export(w, r, p, "jsonl", "application/x-ndjson", projections.AuditTrail.WriteJSONL)
}

func (d *Dashboard) export(w http.ResponseWriter, r *http.Request, p auth.Principal, ext, contentType string,
	write func(projections.AuditTrail, io.Writer) error) {
	provider := r.PathValue("provider")
	f, err := readAuditForm(r).filter()
	if err != nil {
		http.Error(w, err.(*events.Error).Message, http.StatusBadRequest)
		return
	}
	trail, err := d.cfg.Views.Audit(r.Context(), provider, f)
	if err != nil {
		d.serverError(w, r, p, err)
		return
	}
	d.cfg.Logger.Info("dashboard: audit trail exported", "provider", provider, "format", ext, "events", len(trail.Entries), "staff", p.StaffID, "token", p.TokenID)
	name := provider + "-audit-" + d.cfg.Now().In(domain.Anchorage).Format("20060102-1504") + "." + ext
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	if err := write(trail, w); err != nil {
		d.cfg.Logger.Error("dashboard: write export", "provider", provider, "err", err)
	}
}
