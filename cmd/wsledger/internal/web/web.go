// Package web is wsledger's dashboard for managers, CSQA auditors and WSTA: server-rendered
// pages of a provider's deadlines, review coverage, corrections, concerns, accuracy and
// performance-measure trends and audit trail, and a statewide view, that update live as the
// ledger changes. It signs people in with the API's tokens and shows each only what the role
// allows. Templates, styles and the one small script are embedded: the dashboard needs no
// network beyond its own server. docs/dashboard.md describes it.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/checkpoints"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/ledger"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/refusals"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/streams"
	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/projections"
)

// Config is what the dashboard reads and writes through.
type Config struct {
	// Views are the live read models, and through them the log: the audit trail reads and
	// verifies it. Their Watch feeds the pages' live updates.
	Views *projections.Views
	// Log is the ledger's log, from which the event pages read single events.
	Log events.Log
	// Applied, when set, waits until the views have applied every event up to a stream
	// sequence (runner.Runner.WaitFor): after a form is submitted, the page it leads to then
	// shows what was recorded.
	Applied func(ctx context.Context, seq uint64) error
	// Service records the commands the dashboard's forms submit.
	Service *ledger.Service
	// Notices reads what the ledger publishes to WSTA, for the WSTA page; without it the page
	// lists none.
	Notices Notices
	// Tokens signs people in with their API tokens.
	Tokens Authenticator
	// Streams bounds the open live-update streams, shared with the API's (default: its own).
	Streams *streams.Limits
	// Refusals, when set, records the pages refused for lack of permission, as the API's.
	Refusals *refusals.Recorder
	// Proofs, when set, gives an event's inclusion proof in its provider's latest signed
	// checkpoint, and that checkpoint with the witnesses that cosigned it, for the event page.
	Proofs func(ctx context.Context, id string) (checkpoints.InclusionProof, checkpoints.Info, error)
	// Verify, when set, runs the whole-store check of one provider (package verification), for
	// the verification page.
	Verify func(ctx context.Context, provider string) (events.Report, error)
	// Policy gives the business calendar that "overdue by N business days" counts with.
	Policy domain.Policy
	Now    func() time.Time // default time.Now
	Logger *slog.Logger     // default discards
}

// Dashboard is the dashboard's HTTP handler.
type Dashboard struct {
	cfg      Config
	pages    *pages
	sessions *sessions
	handler  http.Handler
	// overviews keeps the overview pages rendered in the current second.
	overviews overviewCache
	// streams counts the open live streams.
	streams atomic.Int64
}

// New returns the dashboard. Mount it at "/": its routes are below.
func New(cfg Config) *Dashboard {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Policy.Calendar == nil {
		cfg.Policy = domain.DefaultPolicy()
	}
	if cfg.Streams == nil {
		cfg.Streams = streams.New(0, 0)
	}
	d := &Dashboard{cfg: cfg, pages: mustParsePages(), sessions: newSessions(cfg.Now)}
	d.handler = secureHeaders(http.NewCrossOriginProtection().Handler(d.routes()))
	return d
}

// ServeHTTP serves the dashboard.
func (d *Dashboard) ServeHTTP(w http.ResponseWriter, r *http.Request) { d.handler.ServeHTTP(w, r) }

func (d *Dashboard) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("GET /static/", staticFiles())
	mux.HandleFunc("GET /login", d.loginForm)
	mux.HandleFunc("POST /login", d.login)
	mux.HandleFunc("POST /logout", d.logout)

	mux.Handle("GET /{$}", d.signedIn(d.home))
	mux.Handle("GET /statewide", d.signedIn(d.statewide))
	mux.Handle("GET /live", d.signedIn(d.live))
	mux.Handle("GET /providers/{provider}", d.forProvider(canView, d.overview))
	mux.Handle("GET /providers/{provider}/deadlines", d.forProvider(canView, d.deadlines))
	mux.Handle("GET /providers/{provider}/trends", d.forProvider(canView, d.trends))
	mux.Handle("GET /providers/{provider}/audit", d.forProvider(canAudit, d.audit))
	mux.Handle("GET /providers/{provider}/verify", d.forProvider(canAudit, d.verify))
	mux.Handle("GET /providers/{provider}/audit.csv", d.forProvider(canAudit, d.auditCSV))
	mux.Handle("GET /providers/{provider}/audit.jsonl", d.forProvider(canAudit, d.auditJSONL))
	mux.Handle("GET /providers/{provider}/concerns", d.forProvider(canView, d.concerns))
	for _, format := range []string{"csv", "json"} {
		mux.Handle("GET /providers/{provider}/deadlines."+format, d.forProvider(canView, d.exportDeadlines(format)))
		mux.Handle("GET /providers/{provider}/coverage."+format, d.forProvider(canView, d.exportCoverage(format)))
		mux.Handle("GET /providers/{provider}/concerns."+format, d.forProvider(canView, d.exportConcerns(format)))
		mux.Handle("GET /statewide."+format, d.signedIn(d.exportStatewide(format)))
	}
	mux.Handle("GET /providers/{provider}/record", d.forProvider(canAudit, d.record))
	mux.Handle("GET /events/{id}", d.signedIn(d.event))
	mux.Handle("GET /wsta", d.signedIn(d.notices))
	mux.Handle("GET /providers/{provider}/corrections/new", d.forProvider(canCorrect, d.correctionForm))
	mux.Handle("POST /providers/{provider}/corrections", d.forProvider(canCorrect, d.recordCorrection))
	mux.Handle("/", d.signedIn(d.notFound))
	return mux
}

// secureHeaders sets the headers every response carries: a content security policy that allows
// only the dashboard's own styles and script, no framing, and no caching of pages that show
// what a role may see.
func secureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
			"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		if h.Get("Cache-Control") == "" {
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}
