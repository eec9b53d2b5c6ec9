package web

import (
	"errors"

	"fmt"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/streams"
	"net/http"
	"strings"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/auth"
)

// Live updates: GET /live?scope=provider:ID (or scope=statewide) is a stream of server-sent
// events. A "change" event names a provider whose views changed; the page then fetches its
// live regions again (static/live.js). The stream carries no data beyond provider ids: what
// changed is read through the same pages, with the same access checks.
const (
	liveHeartbeat = 15 * time.Second // a comment that keeps proxies from closing an idle stream
	// liveRefresh is how often pages refresh without an event: statuses depend on the time
	// (due soon becomes overdue), and the session is checked again.
	liveRefresh = time.Minute
)

func (d *Dashboard) live(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	wants, ok := liveScope(p, r.URL.Query().Get("scope"))
	if !ok {
		http.Error(w, "scope must be provider:ID for a provider you may see, or statewide.", http.StatusForbidden)
		return
	}
	end, err := d.cfg.Streams.Open(p)
	if err != nil {
		d.cfg.Logger.Warn("dashboard: live stream refused", "reason", err.Error(), "role", p.Role, "token", p.TokenID)
		w.Header().Set("Retry-After", "10")
		status := http.StatusServiceUnavailable
		if errors.Is(err, streams.ErrTokenCap) {
			status = http.StatusTooManyRequests
		}
		http.Error(w, "Too many live pages are open; close some and reload.", status)
		return
	}
	defer end()
	d.streams.Add(1) // counted before the stream's first message, which a client may act on
	defer d.streams.Add(-1)
	// Watch before the stream is answered: a change applied after the page saw the answer
	// must reach it.
	changes := d.cfg.Views.Watch(r.Context())
	revoked := d.cfg.Tokens.Revoked(p.TokenID)
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{}) // the stream outlives the server's write timeout
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	if _, err := fmt.Fprint(w, "retry: 2000\n\n"); err != nil || rc.Flush() != nil {
		return
	}
	beat, refresh := time.NewTicker(liveHeartbeat), time.NewTicker(liveRefresh)
	defer beat.Stop()
	defer refresh.Stop()
	for {
		var err error
		select {
		case <-revoked:
			return
		case provider, open := <-changes:
			if !open || auth.Closed(revoked) {
				return // nothing more once the token's revocation is known, however it raced
			}
			if wants(provider) {
				_, err = fmt.Fprintf(w, "event: change\ndata: %s\n\n", provider)
			}
		case <-beat.C:
			_, err = fmt.Fprint(w, ": keep-alive\n\n")
		case <-refresh.C:
			if _, ok := d.principal(r); !ok {
				return
			}
			_, err = fmt.Fprint(w, "event: change\ndata: \n\n")
		}
		if err == nil {
			err = rc.Flush()
		}
		if err != nil {
			return
		}
	}
}

// LiveStreams returns how many pages hold a live stream open.
func (d *Dashboard) LiveStreams() int { return int(d.streams.Load()) }

// liveScope returns which providers' changes a stream of the scope carries, and false when p
// may not watch it.
func liveScope(p auth.Principal, scope string) (func(string) bool, bool) {
	if scope == "statewide" {
		return func(string) bool { return true }, canViewStatewide(p)
	}
	provider, ok := strings.CutPrefix(scope, "provider:")
	if !ok || !canView(p, provider) {
		return nil, false
	}
	return func(changed string) bool { return changed == provider }, true
}
