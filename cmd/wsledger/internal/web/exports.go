package web

import (
	"encoding/json"
	"io"
	"net/http"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/auth"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/queries"
	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/projections"
)

// The exports of the deadlines, coverage, concerns and statewide pages: what the page shows,
// with its filters and viewpoint, every row of it rather than one page, as CSV (one value per
// cell, queries.WriteRows) or JSON (the view as the API answers it).

// exportDeadlines exports every obligation the deadlines page's filter selects.
func (d *Dashboard) exportDeadlines(format string) handler {
	return d.exportOf(format, "deadlines", func(r *http.Request, src source) (any, any, error) {
		q := r.URL.Query()
		f := deadlineFilter{Status: q.Get("status"), Kind: q.Get("kind"), Owner: q.Get("owner")}
		var all projections.Deadlines
		after := ""
		for {
			page, err := src.DeadlinePage(projections.DeadlineQuery{Status: f.Status, Kind: f.Kind, Owner: f.Owner,
				After: after, Limit: projections.MaxDeadlineLimit})
			if err != nil {
				return nil, nil, err
			}
			items := append(all.Items, page.Items...)
			all, all.Items = page, items
			if page.Next == "" {
				all.Next = ""
				return all, all.Items, nil
			}
			after = page.Next
		}
	})
}

// coverageMonth is a month of the coverage export's CSV; the JSON carries each month's sample
// and reviews as well.
type coverageMonth struct {
	projections.CoverageSummary
	SampleSeed     string `json:"sample_seed"`
	SampleReviewed int    `json:"sample_reviewed"`
}

// exportCoverage exports file-review coverage by month, as the trends page shows it.
func (d *Dashboard) exportCoverage(format string) handler {
	return d.exportOf(format, "coverage", func(_ *http.Request, src source) (any, any, error) {
		c, err := src.Coverage()
		rows := make([]coverageMonth, 0, len(c.Months))
		for _, m := range c.Months {
			rows = append(rows, coverageMonth{projections.CoverageSummary{Month: m.Month, Caseload: m.Caseload, Required: m.Required,
				Reviewed: m.Reviewed, Remaining: m.Remaining, Met: m.Met}, m.SampleSeed, m.SampleReviewed})
		}
		return c, rows, err
	})
}

// exportConcerns exports the concerns the concerns page's filter selects.
func (d *Dashboard) exportConcerns(format string) handler {
	return d.exportOf(format, "concerns", func(r *http.Request, src source) (any, any, error) {
		c, err := src.Concerns()
		c.Items = concernFilter(r.URL.Query().Get("state")).apply(c.Items)
		return c, c.Items, err
	})
}

// exportOf makes the handler of a provider's export: view reads the whole view (the JSON) and
// the rows (the CSV) at the request's viewpoint.
func (d *Dashboard) exportOf(format, name string, view func(*http.Request, source) (whole, rows any, err error)) handler {
	return func(w http.ResponseWriter, r *http.Request, p auth.Principal) {
		provider := r.PathValue("provider")
		vp := readViewpoint(r)
		if vp.Error != "" {
			http.Error(w, vp.Error, http.StatusBadRequest)
			return
		}
		src, vp, ok := d.sourceFor(w, r, p, provider, d.cfg.Now())
		if !ok {
			return
		}
		whole, rows, err := view(r, src)
		if d.failed(w, r, p, err) {
			return
		}
		d.cfg.Logger.Info("dashboard: view exported", "provider", provider, "view", name, "format", format, "staff", p.StaffID, "token", p.TokenID)
		d.writeExport(w, provider+"-"+name, src.At(), format, whole, rows)
	}
}

// exportStatewide exports every provider's headline numbers (one CSV line each) and, as JSON,
// the statewide view with the state's totals and measures.
func (d *Dashboard) exportStatewide(format string) handler {
	return func(w http.ResponseWriter, r *http.Request, p auth.Principal) {
		if !canViewStatewide(p) {
			d.forbidden(w, r, p, "")
			return
		}
		s := d.cfg.Views.Statewide(d.cfg.Now())
		d.cfg.Logger.Info("dashboard: view exported", "view", "statewide", "format", format, "staff", p.StaffID, "token", p.TokenID)
		d.writeExport(w, "statewide", s.At, format, s, s.Providers)
	}
}

// writeExport sends an export as a download named after what it holds and the instant it shows.
func (d *Dashboard) writeExport(w http.ResponseWriter, name string, at time.Time, format string, whole, rows any) {
	var write func(io.Writer) error
	switch format {
	case "csv":
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		write = func(out io.Writer) error { return queries.WriteRows(out, rows) }
	default:
		w.Header().Set("Content-Type", "application/json")
		write = func(out io.Writer) error {
			enc := json.NewEncoder(out)
			enc.SetIndent("", "  ")
			return enc.Encode(whole)
		}
	}
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+"-"+at.In(domain.Anchorage).Format("20060102-1504")+"."+format+`"`)
	if err := write(w); err != nil {
		d.cfg.Logger.Error("dashboard: write export", "export", name, "err", err)
	}
}
