package api

import (
	"errors"
	"log/slog"

	"context"
	"encoding/json"
	"fmt"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/streams"
	"net/http"
	"strconv"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/auth"
	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/projections"
)

// heartbeat is how often an idle event stream sends a comment, so proxies keep it open.
const heartbeat = 15 * time.Second

// eventStream handles GET /v1/events: a server-sent event stream of the provider's new events
// (every provider's for a principal who reads them all). Each message has the stream sequence
// as its id and the event type as its name; a client that reconnects with Last-Event-ID (or
// ?from=SEQ) resumes after it. When the provider's views change, a "views" message (without an
// id) carries its new overview, so a dashboard knows to refresh its obligations.
func (s *Server) eventStream(w http.ResponseWriter, r *http.Request) {
	provider, ok := s.readableProvider(w, r, true)
	if !ok {
		return
	}
	from, ok := s.streamStart(w, r)
	if !ok {
		return
	}
	end, err := s.cfg.Streams.Open(principal(r))
	if err != nil {
		s.streamRefused(w, r, err)
		return
	}
	defer end()
	revoked := s.cfg.Tokens.Revoked(principal(r).TokenID)
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	// Watch before the stream opens, so no change after the opening comment goes unsaid.
	var changes <-chan string
	if s.cfg.Views != nil {
		changes = s.cfg.Views.Watch(ctx)
	}
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	if _, err := fmt.Fprint(w, ": wsledger events\n\n"); err != nil || rc.Flush() != nil {
		return
	}
	s.metrics.streams.Inc()
	defer s.metrics.streams.Dec()

	envs := make(chan events.Envelope, 64)
	go func() {
		defer close(envs)
		err := s.cfg.Log.Subscribe(ctx, provider, from, func(e events.Envelope) error {
			select {
			case envs <- e:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
		if err != nil && ctx.Err() == nil {
			s.cfg.Logger.Warn("event stream ended", slog.String("provider", provider), slog.Any("err", err))
		}
	}()
	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	for {
		var err error
		select {
		case <-ctx.Done():
			return
		case <-revoked:
			return
		case e, open := <-envs:
			if !open || auth.Closed(revoked) {
				return // nothing more once the token's revocation is known, however it raced
			}
			err = writeEvent(w, e)
		case p := <-changes:
			if provider != "" && p != provider {
				continue
			}
			if auth.Closed(revoked) {
				return
			}
			err = s.writeViewsChanged(w, p)
		case <-tick.C:
			_, err = fmt.Fprint(w, ": keep-alive\n\n")
		}
		if err == nil {
			err = rc.Flush()
		}
		if err != nil {
			return
		}
	}
}

func writeEvent(w http.ResponseWriter, e events.Envelope) error {
	data, err := events.MarshalEnvelope(&e)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "id: %d\nevent: %s\ndata: %s\n\n", e.Sequence, e.Type, data)
	return err
}

// viewsChanged is the data of a "views" message: a provider's views changed (its obligations,
// coverage, rates...), with its overview as it now stands.
type viewsChanged struct {
	Provider   string               `json:"provider"`
	Checkpoint uint64               `json:"checkpoint,omitempty"`
	Overview   projections.Overview `json:"overview"`
}

func (s *Server) writeViewsChanged(w http.ResponseWriter, provider string) error {
	o, err := s.cfg.Views.Overview(provider, s.cfg.Now())
	if err != nil {
		return nil // a provider the views no longer hold: nothing to say
	}
	c := viewsChanged{Provider: provider, Overview: o}
	if s.cfg.Follower != nil {
		c.Checkpoint = s.cfg.Follower.Checkpoint()
	}
	data, err := json.Marshal(c)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "event: views\ndata: %s\n\n", data)
	return err
}

// streamStart is the first sequence to send: after Last-Event-ID, or from ?from=, or the next
// event to be appended.
func (s *Server) streamStart(w http.ResponseWriter, r *http.Request) (uint64, bool) {
	if id := r.Header.Get("Last-Event-ID"); id != "" {
		n, err := strconv.ParseUint(id, 10, 64)
		if err != nil {
			badRequest(w, "Last-Event-ID", "Last-Event-ID must be the sequence of the last event received.")
			return 0, false
		}
		return n + 1, true
	}
	if f := r.URL.Query().Get("from"); f != "" {
		n, err := strconv.ParseUint(f, 10, 64)
		if err != nil || n == 0 {
			badRequest(w, "from", "from must be a stream sequence, a whole number from 1.")
			return 0, false
		}
		return n, true
	}
	last, err := s.cfg.Log.LastSequence(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return 0, false
	}
	return last + 1, true
}

// streamRefused answers a stream the limits refuse: 429 past the token's cap, 503 when the
// server holds its maximum; both with Retry-After, and a log line.
func (s *Server) streamRefused(w http.ResponseWriter, r *http.Request, err error) {
	p := principal(r)
	s.cfg.Logger.Warn("event stream refused", slog.String("reason", err.Error()), slog.String("role", p.Role), slog.String("token", p.TokenID))
	w.Header().Set("Retry-After", "10")
	if errors.Is(err, streams.ErrTokenCap) {
		writeStatusError(w, http.StatusTooManyRequests, &events.Error{Code: TooManyStreams,
			Message: fmt.Sprintf("This token already holds %d open event streams; close one first.", s.cfg.Streams.PerToken)})
		return
	}
	writeStatusError(w, http.StatusServiceUnavailable, events.Errorf(events.Unavailable, "", "The server holds its maximum of open event streams; try again later."))
}

// TooManyStreams is the error code of a 429 for a token that holds its maximum of streams.
const TooManyStreams = "too_many_streams"
