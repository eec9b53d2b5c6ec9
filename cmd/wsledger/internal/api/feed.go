package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/natsauth"
	"github.com/wsledger/wsledger/events"
)

// DigestPublisher publishes a provider's digest to WSTA (wsta.Feed).
type DigestPublisher interface {
	PublishDigest(ctx context.Context, provider string) (events.Digest, error)
}

// FeedNotice is one message of the WSTA feed as GET /v1/feed returns it.
type FeedNotice struct {
	Sequence uint64          `json:"sequence"` // in the WSTA stream
	Subject  string          `json:"subject"`
	Notice   json.RawMessage `json:"notice"`
}

// maxFeedPage bounds the notices one GET /v1/feed returns.
const maxFeedPage = 500

// feed handles GET /v1/feed: the WSTA notices of a provider (every provider's for a token that
// spans them) after the WSTA stream sequence ?after=, at most ?limit= (500). A client pages by
// passing the last sequence it received.
func (s *Server) feed(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	q := r.URL.Query()
	provider := q.Get("provider")
	if provider == "" && p.Provider != "*" {
		provider = p.Provider
	}
	if provider != "" && events.CheckProvider(provider) != nil {
		badRequest(w, "provider", "provider must be 1 to 40 lowercase letters, digits or '-', starting with a letter or digit.")
		return
	}
	if !p.CanReadFeed(provider) {
		s.forbid(w, r, provider, r.Pattern, "provider", "The token may not read this provider's WSTA feed.")
		return
	}
	after, err1 := parseUint(q.Get("after"), 0)
	limit, err2 := parseUint(q.Get("limit"), maxFeedPage)
	if err1 != nil || err2 != nil || limit == 0 {
		badRequest(w, "after", "after and limit must be whole numbers (limit from 1).")
		return
	}
	if s.cfg.JetStream == nil {
		writeStatusError(w, http.StatusServiceUnavailable, events.Errorf(events.Internal, "", "This server runs without the WSTA feed."))
		return
	}
	filter := "wsta.>"
	if provider != "" {
		filter = "wsta." + provider + ".>"
	}
	notices, err := readFeed(r.Context(), s.cfg.JetStream, filter, after, int(min(limit, maxFeedPage)))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"notices": notices})
}

func parseUint(s string, def uint64) (uint64, error) {
	if s == "" {
		return def, nil
	}
	return strconv.ParseUint(s, 10, 64)
}

// readFeed reads up to limit messages of the WSTA stream matching filter after a sequence.
func readFeed(ctx context.Context, js jetstream.JetStream, filter string, after uint64, limit int) ([]FeedNotice, error) {
	out := []FeedNotice{}
	cons, err := js.OrderedConsumer(ctx, natsauth.FeedStream, jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{filter}, DeliverPolicy: jetstream.DeliverByStartSequencePolicy, OptStartSeq: after + 1,
	})
	if err != nil {
		return nil, err
	}
	if cons.CachedInfo().NumPending == 0 {
		return out, nil
	}
	batch, err := cons.Fetch(limit, jetstream.FetchMaxWait(2*time.Second))
	if err != nil {
		return nil, err
	}
	for m := range batch.Messages() {
		md, err := m.Metadata()
		if err != nil {
			return nil, err
		}
		out = append(out, FeedNotice{Sequence: md.Sequence.Stream, Subject: m.Subject(), Notice: m.Data()})
		if md.NumPending == 0 {
			break
		}
	}
	return out, batch.Error()
}

// publishDigest handles POST /v1/digest: the provider's digest, published to WSTA on
// wsta.<provider>.digest and returned.
func (s *Server) publishDigest(w http.ResponseWriter, r *http.Request) {
	provider, ok := s.readableProvider(w, r, false)
	if !ok {
		return
	}
	if s.cfg.Digests == nil {
		writeStatusError(w, http.StatusServiceUnavailable, events.Errorf(events.Internal, "", "This server runs without the WSTA feed."))
		return
	}
	d, err := s.cfg.Digests.PublishDigest(r.Context(), provider)
	s.answerDigest(w, r, http.StatusCreated, d, err)
}
