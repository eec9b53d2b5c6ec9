package web

import (
	"net/http"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/auth"
	"github.com/wsledger/wsledger/projections"
)

// statewideData is the statewide page: every provider's headline numbers and the totals.
type statewideData struct {
	S        projections.Statewide
	Measures []measureTrend
}

// statewide serves the view across providers for CSQA auditors, WSTA and admins.
func (d *Dashboard) statewide(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	if !canViewStatewide(p) {
		d.forbidden(w, r, p, "")
		return
	}
	now := d.cfg.Now()
	s := d.cfg.Views.Statewide(now)
	data := statewideData{S: s, Measures: measureTrends(s.Measures.Months, "state")}
	d.render(w, r, http.StatusOK, "statewide", page{
		Title: "Statewide", User: &p, Nav: homeTabs(p), Live: "statewide", At: now, Data: data,
	})
}
