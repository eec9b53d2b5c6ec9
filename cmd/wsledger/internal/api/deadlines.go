package api

import (
	"net/http"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/queries"
	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/projections"
)

// deadlines handles GET /v1/deadlines: one page of the provider's obligations (?status=, ?kind=,
// ?owner=, ?after=, ?limit=) with the counts of all of them, live at now or with ?as_of= replayed
// as of that instant on ?clock=.
func (s *Server) deadlines(w http.ResponseWriter, r *http.Request) {
	provider, asOf, clock, ok := s.viewParams(w, r)
	if !ok {
		return
	}
	q, err := queries.DeadlineParams(r.URL.Query())
	if err != nil {
		writeStatusError(w, http.StatusBadRequest, err.(*events.Error))
		return
	}
	if asOf.IsZero() {
		buf := jsonBuffers.Get().(*[]byte)
		defer putJSONBuffer(buf)
		b, err := s.cfg.Views.AppendDeadlinePage((*buf)[:0], provider, s.cfg.Now(), q)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		*buf = b
		writeJSONBytes(w, http.StatusOK, b)
		return
	}
	var d projections.Deadlines
	rp, err := s.cfg.Views.Replay(r.Context(), provider, asOf, clock)
	if err == nil {
		d, err = rp.DeadlinePage(q)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}
