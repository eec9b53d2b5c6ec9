package web

import (
	"net/http"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/auth"
	"github.com/wsledger/wsledger/events"
)

// verifyData is the verification page: the whole-store check of one provider's history, the
// one `wsledger verify --provider P` and GET /v1/verify?provider=P run.
type verifyData struct {
	Provider string
	Report   events.Report
}

// verify runs the whole-store check of a provider's history and shows what it found: intact,
// with the signed checkpoint it extends and how many witnesses cosigned it, or what is damaged
// and where; and the recoveries the history records.
func (d *Dashboard) verify(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	provider := r.PathValue("provider")
	if d.cfg.Verify == nil {
		d.notFound(w, r, p)
		return
	}
	rep, err := d.cfg.Verify(r.Context(), provider)
	if err != nil {
		d.serverError(w, r, p, err)
		return
	}
	d.cfg.Logger.Info("dashboard: history verified", "provider", provider, "intact", rep.Tamper == nil, "staff", p.StaffID, "token", p.TokenID)
	d.render(w, r, http.StatusOK, "verify", page{Title: "Verification of " + provider, User: &p,
		Nav: providerTabs(p, provider, "Audit trail", viewpoint{}), At: d.cfg.Now(), Data: verifyData{Provider: provider, Report: rep}})
}
