package api

import (
	"net/http"
)

// whoami handles GET /v1/whoami: the principal the token stands for.
func (s *Server) whoami(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, principal(r))
}

// providers handles GET /v1/providers: the providers with a history that the principal may read.
func (s *Server) providers(w http.ResponseWriter, r *http.Request) {
	all, err := s.cfg.Log.Providers(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	p := principal(r)
	out := []string{}
	for _, id := range all {
		if p.CanRead(id) {
			out = append(out, id)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"providers": out})
}
