package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/queries"
	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/projections"
)

// Follower is what the API needs of the runner that keeps the views: how far it has got, and a
// way to wait until it includes an event.
type Follower interface {
	Checkpoint() uint64
	WaitFor(ctx context.Context, seq uint64) error
}

// waitLimit bounds how long a read waits for the views to include ?min_sequence=.
const waitLimit = 5 * time.Second

// viewHandler serves one read model: live at now, or with ?as_of= replayed as of that instant
// on ?clock= (recorded by default).
func (s *Server) viewHandler(q queries.Query) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		provider, asOf, clock, ok := s.viewParams(w, r)
		if !ok {
			return
		}
		var v queries.View
		var err error
		if asOf.IsZero() {
			v, err = q.Live(s.cfg.Views, provider, s.cfg.Now())
		} else {
			var rp *projections.Replay
			if rp, err = s.cfg.Views.Replay(r.Context(), provider, asOf, clock); err == nil {
				v = q.Replay(rp)
			}
		}
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, v)
	}
}

// viewParams reads what every view of a provider asks: the provider the caller may read, once
// the views are ready, and ?as_of= and ?clock=. When ok is false it has answered.
func (s *Server) viewParams(w http.ResponseWriter, r *http.Request) (provider string, asOf time.Time, clock events.Clock, ok bool) {
	provider, ok = s.readableProvider(w, r, false)
	if !ok || !s.viewsReady(w, r) {
		return "", time.Time{}, "", false
	}
	asOf, clock, ok = asOfParams(w, r)
	return provider, asOf, clock, ok
}

// viewsReady answers 503 when the server runs without views, and waits for ?min_sequence=.
func (s *Server) viewsReady(w http.ResponseWriter, r *http.Request) bool {
	if s.cfg.Views == nil {
		writeStatusError(w, http.StatusServiceUnavailable, events.Errorf(events.Internal, "", "This server runs without read models."))
		return false
	}
	min := r.URL.Query().Get("min_sequence")
	if min == "" || s.cfg.Follower == nil {
		return true
	}
	seq, err := strconv.ParseUint(min, 10, 64)
	if err != nil {
		badRequest(w, "min_sequence", "min_sequence must be a stream sequence, a whole number.")
		return false
	}
	ctx, cancel := context.WithTimeout(r.Context(), waitLimit)
	defer cancel()
	if err := s.cfg.Follower.WaitFor(ctx, seq); err != nil {
		writeStatusError(w, http.StatusServiceUnavailable, events.Errorf(events.Internal, "min_sequence",
			"The read models have not reached sequence %d yet (they are at %d); try again shortly.", seq, s.cfg.Follower.Checkpoint()))
		return false
	}
	return true
}

// asOfParams reads ?as_of= (or ?as-of=) and ?clock=.
func asOfParams(w http.ResponseWriter, r *http.Request) (time.Time, events.Clock, bool) {
	q := r.URL.Query()
	clock, err := queries.ParseClock(q.Get("clock"))
	asOf := ""
	if err == nil {
		asOf, err = queries.AsOfParam(q)
	}
	var at time.Time
	if err == nil && asOf != "" {
		at, err = queries.ParseAsOf(asOf)
	}
	if err != nil {
		writeStatusError(w, http.StatusBadRequest, err.(*events.Error))
		return time.Time{}, "", false
	}
	return at, clock, true
}

// audit handles GET /v1/audit: the provider's events, each verified, optionally only those
// between ?from= and ?to= (or ?as_of=) on ?clock=, and of the ?type= (or ?kind=) given (comma
// separated). A date in ?from= is the start of that day, in ?to= its end.
func (s *Server) audit(w http.ResponseWriter, r *http.Request) {
	provider, ok := s.readableProvider(w, r, false)
	if !ok || !s.viewsReady(w, r) {
		return
	}
	f, ok := auditFilter(w, r)
	if !ok {
		return
	}
	trail, err := s.cfg.Views.Audit(r.Context(), provider, f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, trail)
}

func auditFilter(w http.ResponseWriter, r *http.Request) (projections.AuditFilter, bool) {
	to, clock, ok := asOfParams(w, r)
	if !ok {
		return projections.AuditFilter{}, false
	}
	f := projections.AuditFilter{To: to, Clock: clock}
	q := r.URL.Query()
	bounds := []struct {
		name  string
		dst   *time.Time
		parse func(string) (time.Time, error)
	}{{"from", &f.From, queries.ParseFrom}, {"to", &f.To, queries.ParseAsOf}}
	for _, b := range bounds {
		if v := q.Get(b.name); v != "" {
			t, err := b.parse(v)
			if err != nil {
				badRequest(w, b.name, "%s must be an instant (RFC 3339), a local time in Anchorage or a date.", b.name)
				return f, false
			}
			*b.dst = t
		}
	}
	// kind is another name for type: an event's type is its kind.
	for _, name := range []string{"type", "kind"} {
		if t := q.Get(name); t != "" {
			f.Types = append(f.Types, strings.Split(t, ",")...)
		}
	}
	return f, true
}

// statewide handles GET /v1/statewide: every provider's overview and the state's totals, for
// tokens that read every provider and WSTA tokens for every provider.
func (s *Server) statewide(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	if !p.CanReadStatewide() {
		s.metrics.denied(events.Forbidden)
		s.cfg.Logger.Info("access denied", "action", r.Pattern, "role", p.Role, "token", p.TokenID)
		writeStatusError(w, http.StatusForbidden, events.Errorf(events.Forbidden, "", "The statewide view needs a token for every provider (a CSQA auditor's, WSTA's or an administrator's)."))
		return
	}
	if !s.viewsReady(w, r) {
		return
	}
	writeJSON(w, http.StatusOK, s.cfg.Views.Statewide(s.cfg.Now()))
}
