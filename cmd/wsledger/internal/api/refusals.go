package api

import (
	"net/http"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/auth"
	"github.com/wsledger/wsledger/events"
)

// refusalList handles GET /v1/refusals?provider=P: the refusals recorded for a provider (every
// provider's without it, for a token that spans them), for CSQA auditors and admins.
func (s *Server) refusalList(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	provider := r.URL.Query().Get("provider")
	if provider == "" {
		provider = auth.AllProviders
	} else if err := events.CheckProvider(provider); err != nil {
		badRequest(w, "provider", "provider: %v", err)
		return
	}
	if (p.Role != events.RoleCSQAAuditor && p.Role != events.RoleAdmin) || (p.Provider != auth.AllProviders && p.Provider != provider) {
		s.forbid(w, r, provider, "read refusals", "provider", "Only CSQA auditors and admins read the refusals, each of the providers their token covers.")
		return
	}
	if s.cfg.Refusals == nil {
		writeStatusError(w, http.StatusServiceUnavailable, events.Errorf(events.Unavailable, "", "This server does not record refusals."))
		return
	}
	recs, err := s.cfg.Refusals.Read(r.Context(), provider)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	total := 0
	for _, rec := range recs {
		total += rec.Count
	}
	writeJSON(w, http.StatusOK, map[string]any{"refusals": recs, "total": total})
}
