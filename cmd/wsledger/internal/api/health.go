package api

import (
	"context"
	"net/http"
	"time"

	"github.com/wsledger/wsledger/events"
)

// healthz handles GET /healthz: the process serves HTTP.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "version": s.cfg.Version})
}

// readyz handles GET /readyz: the ledger's stream answers, and any extra check passes (503
// with the reason otherwise).
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	last, err := s.cfg.Log.LastSequence(ctx)
	if err == nil && s.cfg.Ready != nil {
		err = s.cfg.Ready(ctx)
	}
	if err != nil {
		writeStatusError(w, http.StatusServiceUnavailable, events.Errorf(events.Internal, "", "Not ready: %v", err))
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "last_sequence": last})
}
