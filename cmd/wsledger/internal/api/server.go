// Package api is wsledger's HTTP JSON API: commands in, read models, verification and a live
// event stream out, behind bearer tokens; health, readiness and Prometheus metrics for
// operators; and the OpenAPI document that describes it (docs/api.md).
package api

import (
	"context"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/backup"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/refusals"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/streams"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/auth"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/ledger"
	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/projections"
)

// Authenticator turns a bearer token into a principal (auth.Tokens).
type Authenticator interface {
	Authenticate(ctx context.Context, token string) (auth.Principal, error)
	// Revoked returns a channel closed once the token of this id is known to be revoked.
	Revoked(tokenID string) <-chan struct{}
}

// Config is what the API serves.
type Config struct {
	Log     events.Log
	Service *ledger.Service
	Tokens  Authenticator
	// Streams bounds the open event streams (default: streams.New(0, 0)); the dashboard's live
	// updates share it.
	Streams *streams.Limits
	// Refusals, when set, records the requests refused for lack of permission (aggregated,
	// outside the providers' histories) and limits how many a token may make.
	Refusals *refusals.Recorder
	// Backup, when set, writes a backup of the running ledger into a directory (POST
	// /v1/backup, for the store's owner only).
	Backup func(ctx context.Context, dir string) (backup.Manifest, error)
	// TokenAdmin, when set, serves the token administration endpoints (/v1/tokens).
	TokenAdmin TokenAdmin
	// Views answers the read-model endpoints and Follower says how far they have got; without
	// Views those endpoints answer 503.
	Views    *projections.Views
	Follower Follower
	// JetStream (of the feed's account) reads the WSTA feed for GET /v1/feed and Digests
	// publishes digests to it; without them those endpoints answer 503.
	JetStream jetstream.JetStream
	Digests   DigestPublisher
	// Evidence answers the checkpoint and proof endpoints; without it they answer 503, and
	// verify does not check checkpoints.
	Evidence *Evidence
	// Damaged, when set, is told what a verify found damaged, so that appends stop.
	Damaged func(reason string)
	// Ready, when set, adds a readiness check (for example: projections caught up).
	Ready   func(ctx context.Context) error
	Now     func() time.Time // default time.Now
	Logger  *slog.Logger     // default discards
	Version string
	// MaxBody caps request bodies; default 1 MiB. Larger bodies get 413.
	MaxBody int64
	// OwnerSecret, when set, is the bearer token of the store's owner: the secret serve writes
	// into the data directory's lock file (readable by the owner only), with which commands
	// given --data reach the serving process (auth.OwnerPrincipal).
	OwnerSecret string
	// Operations are what the operations metrics read beyond the views (the WSTA feed, the
	// dashboard).
	Operations Operations
}

// DefaultMaxBody is the default cap on a request body.
const DefaultMaxBody = 1 << 20

// Server is the API's handler. Its mux can take more handlers: the dashboard mounts itself at
// "/" with s.Handle("/", web.Handler(...)); the API's routes, being more specific, win.
type Server struct {
	cfg     Config
	mux     *http.ServeMux
	metrics *metrics
	handler http.Handler
}

// New builds the API.
func New(cfg Config) *Server {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Streams == nil {
		cfg.Streams = streams.New(0, 0)
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	s := &Server{cfg: cfg, mux: http.NewServeMux(), metrics: newMetrics()}
	s.metrics.reg.MustRegister(newOpsCollector(s))
	for _, rt := range s.routes() {
		h := rt.handler
		if rt.auth {
			h = s.authenticated(h)
		}
		s.mux.Handle(rt.method+" "+rt.path, h)
	}
	// Unknown API paths answer in the API's JSON, not with whatever is mounted at "/"; a known
	// path asked with another method is 405 with the methods it takes.
	methods := map[string][]string{}
	for _, rt := range s.routes() {
		methods[rt.path] = append(methods[rt.path], rt.method)
	}
	s.mux.HandleFunc("/v1/", func(w http.ResponseWriter, r *http.Request) {
		if allow := methods[r.URL.Path]; len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			writeStatusError(w, http.StatusMethodNotAllowed, events.Errorf(events.Invalid, "", "%s takes %s, not %s.", r.URL.Path, strings.Join(allow, " or "), r.Method))
			return
		}
		writeStatusError(w, http.StatusNotFound, events.Errorf(events.NotFound, "", "There is no API endpoint %s %s; see /v1/openapi.json.", r.Method, r.URL.Path))
	})
	s.handler = s.metrics.instrument(s.mux, cfg.Logger)
	return s
}

// Handle adds a handler to the server's mux, for example the dashboard at "/".
func (s *Server) Handle(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }

// ServeHTTP serves the API and whatever was mounted beside it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Metrics returns the handler of /metrics alone, for serving it on another listener.
func (s *Server) Metrics() http.Handler { return s.metrics.handler() }
