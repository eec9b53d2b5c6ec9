package cli

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/api"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/auth"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/demo"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/ledger"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/mailer"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/natsauth"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/store"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/web"
	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/projections"
	"github.com/wsledger/wsledger/projections/runner"
	"github.com/wsledger/wsledger/projections/wsta"
)

// shutdownGrace is how long requests in flight get to finish on SIGINT or SIGTERM.
const shutdownGrace = 10 * time.Second

func runServe(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "serve", "[--http ADDR] [--tls-cert FILE --tls-key FILE] [--nats-listen ADDR] [--nats-config FILE] [--smtp URL --mail-from ADDRESS] [--demo] [flags]",
		"run the HTTP API and the dashboard, the read models and the WSTA feed until SIGINT or SIGTERM")
	httpAddr := fs.String("http", "127.0.0.1:8080", "serve HTTP (HTTPS with --tls-cert) at `host:port`")
	httpTLS := tlsFiles{certFlag: "--tls-cert", keyFlag: "--tls-key"}
	fs.StringVar(&httpTLS.cert, "tls-cert", "", "serve HTTPS with the certificate (and intermediates) in PEM `file` (with --tls-key)")
	fs.StringVar(&httpTLS.key, "tls-key", "", "private key PEM `file` of --tls-cert")
	natsListen := fs.String("nats-listen", "", "also accept NATS clients at `host:port` (embedded only), with the users of the access configuration")
	natsTLS := tlsFiles{certFlag: "--nats-tls-cert", keyFlag: "--nats-tls-key", caFlag: "--nats-tls-ca"}
	fs.StringVar(&natsTLS.cert, "nats-tls-cert", "", "require TLS of the clients at --nats-listen, with the certificate in PEM `file` (with --nats-tls-key)")
	fs.StringVar(&natsTLS.key, "nats-tls-key", "", "private key PEM `file` of --nats-tls-cert")
	fs.StringVar(&natsTLS.ca, "nats-tls-ca", "", "also require of the clients at --nats-listen a certificate signed by an authority in PEM `file`")
	natsConfig := fs.String("nats-config", "", "NATS access configuration `file` (default DATA/nats-access.conf, written on first run)")
	withDemo := fs.Bool("demo", false, "load the demo data set first and print its sign-in tokens")
	tokensFile := addTokensFileFlag(fs)
	mf := addMailFlags(fs)
	policyFile := addPolicyFlag(fs)
	lf := addLedgerFlags(fs, env)
	if err := parse(fs, args, false); err != nil {
		return err
	}
	o, err := lf.options()
	if err != nil {
		return err
	}
	if natsTLS.any() && *natsListen == "" {
		return usagef("--nats-tls-cert, --nats-tls-key and --nats-tls-ca apply to --nats-listen only")
	}
	mail, err := mf.config(env, fs)
	if err != nil {
		return err
	}
	policy, err := readPolicy(*policyFile)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	tc, err := httpTLS.server(logger)
	if err != nil {
		return err
	}
	if o.ListenTLS, err = natsTLS.server(logger); err != nil {
		return err
	}
	o.Listen, o.AccessConfig = *natsListen, *natsConfig
	o.Logger = logger
	clock := &demo.Clock{} // the wall clock, but while the demo loads
	o.Now = clock.Now

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	st, err := store.Open(ctx, o)
	if err != nil {
		return lf.explain(err)
	}
	defer st.Close()
	announceNATS(env, st, *natsListen)
	if *natsListen != "" && o.ListenTLS == nil {
		warnPlain(logger, st.Server().Addr(), "NATS clients accepted", "NATS passwords and WSTA notices", "--nats-tls-cert and --nats-tls-key")
	}
	tokens, err := auth.OpenTokens(ctx, st.JetStream(), replicasOf(st), time.Now)
	if err != nil {
		return err
	}
	if *withDemo {
		if err := loadDemo(ctx, env, st, clock, tokens, demoTokensFile(*tokensFile, lf)); err != nil {
			return err
		}
	}
	s, err := newServer(ctx, st, tokens, logger, mail, policy)
	if err != nil {
		return err
	}
	return s.serve(ctx, env, *httpAddr, tc)
}

// server is everything serve runs: the API over the ledger service and the views, the runner
// that keeps the views, and the WSTA feed. Handlers mounted beside the API (the dashboard) share
// its parts: one ledger service per log, one set of views.
type server struct {
	api     *api.Server
	store   *store.Store
	service *ledger.Service
	views   *projections.Views
	runner  *runner.Runner
	feed    *wsta.Feed
	mailer  *mailer.Mailer // nil when WSTA's notices are not e-mailed
	tokens  *auth.Tokens
	policy  domain.Policy
	logger  *slog.Logger
}

func newServer(ctx context.Context, st *store.Store, tokens *auth.Tokens, logger *slog.Logger, mail *mailer.Config, configured *domain.Policy) (*server, error) {
	policy := domain.DefaultPolicy()
	if configured != nil {
		policy = *configured
	}
	// The views judge each provider by the settings its history records, the defaults before any.
	views := projections.New(st, domain.DefaultPolicy())
	run := views.Runner(st.JetStream(), runner.Options{Replicas: replicasOf(st), Logger: logger})
	// Ready once the views have caught up with what the ledger held at start.
	startSeq, err := st.LastSequence(ctx)
	if err != nil {
		return nil, err
	}
	ready := func(context.Context) error {
		if c := run.Checkpoint(); c < startSeq {
			return fmt.Errorf("the read models are at sequence %d of %d", c, startSeq)
		}
		return nil
	}
	feed, err := wsta.New(ctx, st, st.JetStream(), wsta.Options{Stream: natsauth.FeedStream, Replicas: replicasOf(st), Logger: logger})
	if err != nil {
		return nil, err
	}
	service := ledger.New(st, policy, time.Now)
	if configured != nil {
		if err := recordPolicy(ctx, st, service, policy, logger); err != nil {
			return nil, err
		}
	}
	a := api.New(api.Config{
		Log: st, Service: service, Tokens: tokens,
		Views: views, Follower: run, JetStream: st.JetStream(), Digests: feed,
		Ready: ready, Logger: logger, Version: versionString(),
	})
	s := &server{api: a, store: st, service: service, views: views, runner: run, feed: feed,
		tokens: tokens, policy: policy, logger: logger}
	views.SetWSTAEmail(projections.WSTAEmailNotSetUp)
	if mail != nil {
		mail.Log, mail.Service, mail.Logger = st, service, logger.With("component", "mailer")
		if s.mailer, err = mailer.New(*mail); err != nil {
			return nil, err
		}
		views.SetWSTAEmail(projections.WSTAEmailSetUp)
	}
	s.mount()
	return s, nil
}

// mount adds the handlers served beside the API, each with one line; the API's routes are more
// specific than "/" and keep precedence.
func (s *server) mount() {
	s.api.Handle("/", web.New(web.Config{Views: s.views, Applied: s.runner.WaitFor, Service: s.service,
		Tokens: s.tokens, Policy: s.policy, Logger: s.logger}))
}

// serve listens (with TLS when tc is set), runs the views, the WSTA feed and the API until ctx
// ends, then shuts down gracefully: event streams end, requests in flight finish (up to
// shutdownGrace), the views save a snapshot and the feed stops.
func (s *server) serve(ctx context.Context, env Env, addr string, tc *tls.Config) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	scheme := "https"
	if tc == nil {
		scheme = "http"
		warnPlain(s.logger, ln.Addr(), "serving HTTP", "API tokens and personal data", "--tls-cert and --tls-key")
	}
	streams, endStreams := context.WithCancel(context.WithoutCancel(ctx))
	defer endStreams()
	hs := &http.Server{Handler: s.api, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
		BaseContext: func(net.Listener) context.Context { return streams },
		TLSConfig:   tc, ErrorLog: slog.NewLogLogger(s.logger.Handler(), slog.LevelWarn)}
	runCtx, stopViews := context.WithCancel(context.WithoutCancel(ctx))
	defer stopViews()
	viewsDone, feedDone, mailDone := make(chan error, 1), make(chan error, 1), make(chan error, 1)
	go func() { viewsDone <- s.runner.Run(runCtx) }()
	go func() { feedDone <- s.feed.Run(runCtx) }()
	go func() { mailDone <- s.runMailer(runCtx) }()
	go s.tokens.Watch(runCtx)
	served := make(chan error, 1)
	go func() {
		if tc != nil {
			served <- hs.ServeTLS(ln, "", "")
		} else {
			served <- hs.Serve(ln)
		}
	}()
	fmt.Fprintf(env.Stderr, "wsledger %s serving %s://%s\n", versionString(), scheme, ln.Addr())

	var failure error
	select {
	case <-ctx.Done():
	case failure = <-served:
	case failure = <-viewsDone:
		failure = fmt.Errorf("the read models stopped: %w", failure)
		viewsDone <- nil
	case failure = <-feedDone:
		failure = fmt.Errorf("the WSTA feed stopped: %w", failure)
		feedDone <- nil
	case failure = <-mailDone:
		failure = fmt.Errorf("the WSTA mailer stopped: %w", failure)
		mailDone <- nil
	}
	fmt.Fprintln(env.Stderr, "wsledger: shutting down")
	endStreams()
	shutCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	if err := hs.Shutdown(shutCtx); err != nil {
		s.logger.Warn("HTTP shutdown", slog.Any("err", err))
	}
	stopViews()
	for _, done := range []chan error{viewsDone, feedDone, mailDone} {
		// Stopped while still starting, the views or the feed answer that they were cancelled:
		// that is the shutdown asked for, not a failure.
		if err := <-done; err != nil && !errors.Is(err, context.Canceled) && failure == nil {
			failure = err
		}
	}
	if errors.Is(failure, http.ErrServerClosed) {
		failure = nil
	}
	return failure
}

// runMailer e-mails WSTA's notices until ctx ends, when serve was told how (--smtp).
func (s *server) runMailer(ctx context.Context) error {
	if s.mailer == nil {
		<-ctx.Done()
		return nil
	}
	return s.mailer.Run(ctx)
}

// announceNATS says where NATS clients connect and, on first run, where WSTA's password is.
func announceNATS(env Env, st *store.Store, listen string) {
	if listen == "" || st.Server() == nil {
		return
	}
	fmt.Fprintf(env.Stderr, "NATS clients: %s (users in %s)\n", st.Server().ClientURL(), st.Access.ConfigPath)
	if g := st.Access.Generated; g != nil {
		fmt.Fprintf(env.Stderr, "wrote a default NATS access configuration; the wsta user's password is in %s\n", g.WSTAPasswordFile)
	}
}
