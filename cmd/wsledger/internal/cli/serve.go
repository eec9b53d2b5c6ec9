package cli

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/api"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/auth"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/backup"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/checkpoints"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/demo"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/ledger"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/mailer"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/natsauth"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/refusals"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/store"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/streams"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/verification"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/web"
	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/events/evidence"
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
	keepMonths := fs.Int("keep-months", 24, "keep each provider's saved read models of the last `n` months, which as-of replays start from (0 keeps every month)")
	demoFlags := addDemoFlags(fs)
	logFlags := addLogFlags(fs)
	subjectKey := addSubjectKeyFlag(fs)
	mf := addMailFlags(fs)
	policyFile := addPolicyFlag(fs)
	lf := addLedgerFlags(fs, env)
	sf := addSigningFlags(fs, true)
	if err := parse(fs, args, false); err != nil {
		return err
	}
	o, err := lf.options()
	if err != nil {
		return err
	}
	demoEnd, err := demoFlags.endAt(time.Now())
	if err != nil {
		return err
	}
	if *keepMonths < 0 {
		return usagef("--keep-months must be 0 (every month) or more, not %d", *keepMonths)
	}
	if natsTLS.any() && *natsListen == "" {
		return usagef("--nats-tls-cert, --nats-tls-key and --nats-tls-ca apply to --nats-listen only")
	}
	logger, err := logFlags.logger(env.Stderr)
	if err != nil {
		return err
	}
	mail, err := mf.config(env, fs)
	if err != nil {
		return err
	}
	configured, err := readPolicy(*policyFile)
	if err != nil {
		return err
	}
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
	skey, err := sf.load(env, lf, true)
	if err != nil {
		return err
	}
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
	policy, err := ledgerPolicy(ctx, env, st, lf, *subjectKey)
	if err != nil {
		return err
	}
	if configured != nil {
		configured.SubjectKey = policy.SubjectKey
	}
	if *withDemo {
		if err := refuseShortHistories(ctx, st); err != nil {
			return err
		}
		if err := loadDemo(ctx, env, st, policy, clock, demoEnd, tokens, demoTokensFile(demoFlags.tokensFile, lf)); err != nil {
			return err
		}
	}
	s, err := newServer(ctx, st, policy, configured, tokens, logger, skey, sf, mail, *keepMonths)
	if err != nil {
		return err
	}
	if httpTLS.cert != "" {
		if s.certFile, err = filepath.Abs(httpTLS.cert); err != nil {
			return err
		}
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
	// stopSharing gives the writer lease up and stops taking forwarded commands.
	stopSharing context.CancelFunc
	// evidence keeps the providers' trees and signs their checkpoints; vkey is the ledger's
	// verifier key; startSeq is the ledger's last sequence when serve started.
	evidence *evidenceParts
	vkey     string
	startSeq uint64
	// recordsPolicy says that --policy's settings are recorded once appends are let through;
	// started is closed after that, and serve is not ready before.
	recordsPolicy bool
	started       chan struct{}
	// ownerSecret authenticates commands given --data that the data directory's lock sends
	// here; certFile is the HTTPS certificate they trust.
	ownerSecret, certFile string
	refusals              *refusals.Recorder
	streams               *streams.Limits // the API's event streams and the dashboard's live updates
}

// newServer builds serve's parts. policy is the ledger's (its subject key); configured, when
// not nil, is the settings of --policy, which the service decides by and records.
func newServer(ctx context.Context, st *store.Store, policy domain.Policy, configured *domain.Policy, tokens *auth.Tokens, logger *slog.Logger,
	skey string, sf *signingFlags, mail *mailer.Config, keepMonths int) (*server, error) {
	// The views judge each provider by the settings its history records, the defaults before any.
	viewsPolicy := domain.DefaultPolicy()
	viewsPolicy.SubjectKey = policy.SubjectKey
	if configured != nil {
		policy = *configured
	}
	// Several processes may serve one ledger on a cluster: one at a time writes (the writer
	// lease), the others forward their commands to it.
	service := ledger.New(st, policy, time.Now)
	shareCtx, stopSharing := context.WithCancel(context.WithoutCancel(ctx))
	if err := service.Share(shareCtx, st.Conn(), st.JetStream(), ledger.ShareOptions{
		Stream: st.StreamName(), Replicas: replicasOf(st), Campaign: true, Logger: logger,
	}); err != nil {
		stopSharing()
		return nil, err
	}
	// No append until the store is found to extend every signed checkpoint (runTrees).
	st.HoldAppends("The ledger is checking its store against its signed checkpoints before it takes appends; retry in a moment with the same idempotency key.")
	views := projections.New(st, viewsPolicy)
	run := views.Runner(st.JetStream(), runner.Options{Replicas: replicasOf(st), Saves: service.Writing, KeepPeriods: keepMonths, Logger: logger})
	// Ready once the views have caught up with what the ledger held at start, and while the
	// ledger takes appends.
	startSeq, err := st.LastSequence(ctx)
	if err != nil {
		stopSharing()
		return nil, err
	}
	started := make(chan struct{})
	ready := func(ctx context.Context) error {
		select {
		case <-started:
		default:
			return errors.New("the ledger is checking its store against its signed checkpoints")
		}
		if c := run.Checkpoint(); c < startSeq {
			return fmt.Errorf("the read models are at sequence %d of %d", c, startSeq)
		}
		if err := st.Writable(ctx); err != nil {
			return fmt.Errorf("appends are refused: %w", err)
		}
		return nil
	}
	feed, err := wsta.New(ctx, st, st.FeedJetStream(), wsta.Options{Stream: natsauth.FeedStream, Replicas: replicasOf(st), Logger: logger})
	if err != nil {
		stopSharing()
		return nil, err
	}
	ev, err := newEvidence(ctx, st, skey, sf, service.Writing, feed, logger)
	if err != nil {
		stopSharing()
		return nil, err
	}
	refused, err := refusals.Open(ctx, st.JetStream(), refusals.Options{Replicas: replicasOf(st), Logger: logger})
	if err != nil {
		stopSharing()
		return nil, err
	}
	secret, err := ownerSecret(st)
	if err != nil {
		stopSharing()
		return nil, err
	}
	vkey, err := evidence.VerifierKey(skey)
	if err != nil {
		stopSharing()
		return nil, err
	}
	limits := streams.New(0, 0)
	a := api.New(api.Config{OwnerSecret: secret, Streams: limits,
		Log: st, Service: service, Tokens: tokens, TokenAdmin: tokens, Refusals: refused,
		Backup: func(ctx context.Context, dir string) (backup.Manifest, error) {
			return backup.Create(ctx, st.JetStream().Conn(), dir, time.Now())
		},
		Views: views, Follower: run, JetStream: st.FeedJetStream(), Digests: feed,
		Ready: ready, Logger: logger, Version: versionString(),
		Evidence: &api.Evidence{Trees: ev.trees, Checkpoints: ev.store, LedgerKey: vkey, Witnesses: ev.witnesses, Sign: ev.signer.SignNow,
			CatchUp: func(ctx context.Context) error { return ev.catchUp(ctx, st) }},
		Damaged: st.ReportDamage,
	})
	s := &server{api: a, store: st, service: service, views: views, runner: run, feed: feed,
		tokens: tokens, policy: policy, logger: logger, stopSharing: stopSharing, ownerSecret: secret, refusals: refused, streams: limits,
		evidence: ev, vkey: vkey, startSeq: startSeq, started: started}
	s.recordsPolicy = configured != nil
	views.SetWSTAEmail(projections.WSTAEmailNotSetUp)
	if mail != nil {
		mail.Log, mail.Service, mail.Logger = st, service, logger.With("component", "mailer")
		if s.mailer, err = mailer.New(*mail); err != nil {
			stopSharing()
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
	dashboard := web.New(web.Config{Views: s.views, Log: s.store, Notices: s.feed, Applied: s.runner.WaitFor, Service: s.service,
		Tokens: s.tokens, Refusals: s.refusals, Streams: s.streams, Policy: s.policy, Logger: s.logger,
		Verify: s.verifyProvider,
		Proofs: func(ctx context.Context, id string) (checkpoints.InclusionProof, checkpoints.Info, error) {
			p, err := checkpoints.ProveEvent(ctx, s.evidence.trees, s.evidence.store, id, s.vkey)
			if err != nil {
				return p, checkpoints.Info{}, err
			}
			info, err := checkpoints.InfoOf(p.Provider, []byte(p.Checkpoint), s.vkey, s.evidence.witnesses)
			return p, info, err
		}})
	s.api.Handle("/", dashboard)
	s.api.SetOperations(api.Operations{FeedPosition: s.feed.Position, DashboardStreams: dashboard.LiveStreams})
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
	if tip, err := s.store.LastSequence(ctx); err == nil {
		go reportCatchUp(runCtx, env, s.logger, tip, s.runner.Checkpoint, s.feed.Position)
	}
	go func() { viewsDone <- s.damageKeepsServing(runCtx, "the read models", s.runner.Run(runCtx)) }()
	go func() { feedDone <- s.feed.Run(runCtx) }()
	go func() { mailDone <- s.runMailer(runCtx) }()
	go s.tokens.Watch(runCtx)
	refusalsDone := make(chan struct{})
	go func() { s.refusals.Run(runCtx); close(refusalsDone) }()
	defer func() { <-refusalsDone }()
	treesDone, signerDone := make(chan error, 1), make(chan error, 1)
	go func() {
		treesDone <- s.damageKeepsServing(runCtx, "the providers' trees", s.evidence.runTrees(runCtx, s.store, s.startSeq))
	}()
	policyDone := make(chan error, 1)
	go func() {
		if err := s.start(runCtx); err != nil {
			policyDone <- err // only a failure: serve goes on after a start
		}
	}()
	signCtx, stopSigning := context.WithCancel(context.WithoutCancel(ctx))
	defer stopSigning()
	go func() { signerDone <- s.evidence.runSigner(signCtx, s.store.LastSequence) }()
	cosigned, err := s.evidence.intake(runCtx, s.store.FeedConn(), s.vkey)
	if err != nil {
		return err
	}
	defer cosigned.Unsubscribe()
	served := make(chan error, 1)
	go func() {
		if tc != nil {
			served <- hs.ServeTLS(ln, "", "")
		} else {
			served <- hs.Serve(ln)
		}
	}()
	if err := s.advertise(scheme, ln.Addr()); err != nil {
		return err
	}
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
	case failure = <-treesDone:
		failure = fmt.Errorf("the providers' trees stopped: %w", failure)
		treesDone <- nil
	case failure = <-policyDone:
	}
	fmt.Fprintln(env.Stderr, "wsledger: shutting down")
	endStreams()
	shutCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	if err := hs.Shutdown(shutCtx); err != nil {
		s.logger.Warn("HTTP shutdown", slog.Any("err", err))
	}
	// The last checkpoints are signed while this process still holds the writer lease.
	stopSigning()
	<-signerDone
	s.stopSharing()
	stopViews()
	if err := <-treesDone; err != nil && !errors.Is(err, context.Canceled) && failure == nil {
		failure = fmt.Errorf("the providers' trees stopped: %w", err)
	}
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

// start waits until the providers' trees let appends through, records --policy's settings
// when serve was given them, and then lets serve report ready.
func (s *server) start(ctx context.Context) error {
	select {
	case <-ctx.Done():
		return nil
	case <-s.evidence.released:
	}
	if s.recordsPolicy {
		if err := recordPolicy(ctx, s.store, s.service, s.policy, s.logger); err != nil {
			return err
		}
	}
	close(s.started)
	return nil
}

// runMailer e-mails WSTA's notices until ctx ends, when serve was told how (--smtp), from the
// process that writes the ledger: the others wait until they do, so that the processes of one
// ledger do not all send each notice.
func (s *server) runMailer(ctx context.Context) error {
	if s.mailer == nil {
		<-ctx.Done()
		return nil
	}
	for !s.service.Writing() {
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(time.Second):
		}
	}
	return s.mailer.Run(ctx)
}

// damageKeepsServing turns a runner that stopped at an event the store cannot return into
// damage: appends are refused, /readyz says why, and serve goes on answering reads and verify
// until ctx ends, rather than exit. Any other error is returned as it is.
func (s *server) damageKeepsServing(ctx context.Context, what string, err error) error {
	var corrupt *events.CorruptEvent
	if !errors.As(err, &corrupt) {
		return err
	}
	s.store.ReportDamage(fmt.Sprintf("%s stopped at stream sequence %d, which the store cannot return as an event", what, corrupt.Sequence))
	<-ctx.Done()
	return nil
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

// ownerSecret draws the secret with which commands given the data directory reach this
// process; there is none on a NATS deployment, which has no data directory.
func ownerSecret(st *store.Store) (string, error) {
	if st.Lock == nil {
		return "", nil
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// advertise writes the API's address and the owner's secret into the data directory's lock,
// so that commands given --data while serve runs go through the API.
func (s *server) advertise(scheme string, addr net.Addr) error {
	if s.store.Lock == nil {
		return nil
	}
	host := "127.0.0.1"
	tcp, ok := addr.(*net.TCPAddr)
	if !ok {
		return nil
	}
	if !tcp.IP.IsUnspecified() {
		host = tcp.IP.String()
	}
	u := scheme + "://" + net.JoinHostPort(host, strconv.Itoa(tcp.Port))
	return s.store.Lock.Advertise(u, s.ownerSecret, s.certFile)
}

// verifyProvider runs the whole-store check of one provider for the dashboard, as the API's
// GET /v1/verify?provider=P does; damage it finds stops appends.
func (s *server) verifyProvider(ctx context.Context, provider string) (events.Report, error) {
	res, err := verification.Run(ctx, s.store, s.evidence.store, verification.Options{Provider: provider, LedgerKey: s.vkey, Witnesses: s.evidence.witnesses})
	if err != nil {
		return events.Report{}, err
	}
	rep := events.Report{Provider: provider, Head: events.Head{Provider: provider}}
	for _, r := range res.Reports {
		if r.Tamper != nil {
			s.store.ReportDamage("verify found " + r.Tamper.Error())
			return r, nil
		}
		rep = r
	}
	return rep, nil
}
