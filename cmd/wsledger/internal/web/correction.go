package web

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/auth"
	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/projections"
)

// correctionData is the form that records a correction (due diligence C).
type correctionData struct {
	Provider string
	Findings []findingRow // negative findings not yet corrected
	Form     correctionForm
	Error    *events.Error
}

// correctionForm is what the form posts. Key is the command's idempotency key, drawn when the
// form is shown, so that a form sent twice records one correction.
type correctionForm struct {
	Finding, Note, CorrectedAt, Key string
}

// appliedWait bounds how long a form waits for the views to show what it recorded.
const appliedWait = 5 * time.Second

func (d *Dashboard) correctionForm(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	form := correctionForm{Finding: r.URL.Query().Get("finding"), Key: newKey()}
	d.showCorrectionForm(w, r, p, http.StatusOK, form, nil)
}

func (d *Dashboard) showCorrectionForm(w http.ResponseWriter, r *http.Request, p auth.Principal, status int, form correctionForm, e *events.Error) {
	provider, now := r.PathValue("provider"), d.cfg.Now()
	cs, err := d.cfg.Views.Corrections(provider, now)
	if err != nil {
		d.serverError(w, r, p, err)
		return
	}
	data := correctionData{Provider: provider, Findings: d.openFindings(cs.Findings, now), Form: form, Error: e}
	d.render(w, r, status, "correction", page{
		Title: "Record a correction", User: &p, Nav: providerTabs(p, provider, "", viewpoint{}), At: now, Data: data,
	})
}

// recordCorrection submits CompleteCorrection through the ledger service as the signed-in
// member of staff, then shows the overview, which now counts the correction.
func (d *Dashboard) recordCorrection(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	provider := r.PathValue("provider")
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "The form could not be read.", http.StatusBadRequest)
		return
	}
	form := correctionForm{
		Finding: strings.TrimSpace(r.PostFormValue("finding_id")), Note: strings.TrimSpace(r.PostFormValue("note")),
		CorrectedAt: r.PostFormValue("corrected_at"), Key: r.PostFormValue("idempotency_key"),
	}
	if form.Key == "" {
		form.Key = newKey()
	}
	raw, e := form.command(provider, p)
	if e == nil {
		var res ledgerResult
		res, e = d.submit(r.Context(), raw)
		if e == nil {
			d.waitApplied(r.Context(), res.seq)
			http.Redirect(w, r, "/providers/"+provider+"?recorded="+url.QueryEscape(form.Finding)+"#corrections", http.StatusSeeOther)
			return
		}
	}
	status := http.StatusBadRequest
	switch e.Code {
	case events.Forbidden:
		status = http.StatusForbidden
	case events.Conflict:
		status = http.StatusConflict
	case events.NotFound:
		status = http.StatusNotFound
	case events.Internal:
		status = http.StatusInternalServerError
	}
	d.showCorrectionForm(w, r, p, status, form, e)
}

// command builds the CompleteCorrection command the form stands for.
func (f correctionForm) command(provider string, p auth.Principal) ([]byte, *events.Error) {
	cmd := map[string]any{
		"type": "CompleteCorrection", "provider": provider, "idempotency_key": f.Key,
		"actor": p.Actor(), "finding_id": f.Finding, "note": f.Note,
	}
	if f.CorrectedAt != "" {
		t, err := time.ParseInLocation("2006-01-02T15:04", f.CorrectedAt, domain.Anchorage)
		if err != nil {
			return nil, events.Errorf(events.Invalid, "occurred_at", "When the finding was corrected must be a date and time, for example 2026-11-23 09:00.")
		}
		cmd["occurred_at"] = t.Format(time.RFC3339)
	}
	raw, _ := json.Marshal(cmd) // a map of strings and an Actor always encodes
	return raw, nil
}

// ledgerResult is what the dashboard needs of an accepted command.
type ledgerResult struct{ seq uint64 }

// submit records a command; a refusal comes back as the ledger's *events.Error, anything else
// as an internal error whose detail goes to the log only.
func (d *Dashboard) submit(ctx context.Context, raw []byte) (ledgerResult, *events.Error) {
	res, err := d.cfg.Service.Submit(ctx, raw)
	var e *events.Error
	switch {
	case err == nil:
		return ledgerResult{seq: res.Sequence()}, nil
	case errors.As(err, &e) && e.Code != events.Internal:
		return ledgerResult{}, e
	}
	d.cfg.Logger.Error("dashboard: submit a command", "err", err)
	return ledgerResult{}, events.Errorf(events.Internal, "", "The ledger could not record this just now; nothing was recorded. Try again shortly.")
}

// waitApplied waits, briefly, until the views show the event at seq.
func (d *Dashboard) waitApplied(ctx context.Context, seq uint64) {
	if d.cfg.Applied == nil || seq == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, appliedWait)
	defer cancel()
	if err := d.cfg.Applied(ctx, seq); err != nil {
		d.cfg.Logger.Warn("dashboard: the views did not catch up in time", "sequence", seq, "err", err)
	}
}

// newKey draws an idempotency key for a form.
func newKey() string { return "web-" + rand.Text() }

// openFindings returns the negative findings not yet corrected, with their status for people.
func (d *Dashboard) openFindings(fs []projections.FindingStatus, now time.Time) []findingRow {
	var out []findingRow
	for _, f := range fs {
		if f.CorrectedAt.IsZero() {
			out = append(out, newFindingRow(f, d.describe(f.Status, f.Due, f.CorrectedAt, now)))
		}
	}
	return out
}
