// Package natslog is the ledger's log on NATS JetStream: one stream of immutable events,
// hash-chained per provider, appended with optimistic concurrency, atomically per command and
// idempotently, by a group-commit sequencer. See docs/architecture.md.
package natslog

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/wsledger/wsledger/events"
)

// Sync is the durability mode of the embedded server.
type Sync string

const (
	// SyncDefault is JetStream's default: writes reach the OS at once and are fsynced every
	// SyncInterval (2 minutes unless set). A power failure can lose acknowledged events written
	// since the last fsync; a process crash cannot.
	SyncDefault Sync = "default"
	// SyncAlways fsyncs before every acknowledgement. Acknowledged events survive power failure;
	// each append waits for the disk. Group commit amortises the cost over concurrent commands.
	SyncAlways Sync = "always"
)

// Options configure Open. Exactly one of DataDir (embedded server) or URL (existing cluster).
type Options struct {
	DataDir string // embedded nats-server store directory
	URL     string // existing NATS servers, comma separated
	Creds   string // credentials file for URL
	// ConnectOptions are extra options for the NATS connection (user, TLS, ...).
	ConnectOptions []nats.Option

	Stream string // stream name; default "LEDGER"
	// Replicas of the stream. With URL, 0 means the existing stream's, or, for a new stream, 3
	// on a cluster and 1 on a single server. More than 1 on a single server is refused.
	Replicas int
	// Wait is how long Open waits, with URL, for servers that are starting (not yet accepting
	// connections, no JetStream leader, too few servers yet for the replicas); 0 means
	// DefaultWait, a negative value not at all. Progress goes to Logger.
	Wait time.Duration

	Sync         Sync          // embedded only; default SyncDefault
	SyncInterval time.Duration // embedded only, SyncDefault only; 0 means the server's 2 minutes

	// Listen, when set (host:port), lets the embedded server accept NATS clients there.
	Listen string
	// ListenTLS, when set, makes clients at Listen use TLS with this configuration; with
	// ClientAuth tls.RequireAndVerifyClientCert they must also present a certificate. The log's
	// own in-process connection is unaffected.
	ListenTLS *tls.Config
	// ConfigureServer, when set, can adjust the embedded server's options before it starts
	// (accounts, users, TLS, cluster routes).
	ConfigureServer func(*server.Options)

	// MaxBatch caps the messages one group commit sends; default and maximum 1000.
	MaxBatch int
	// Now returns the current time for recorded_at; default time.Now.
	Now func() time.Time

	Logger *slog.Logger
}

// Log is a JetStream-backed events.Log.
type Log struct {
	opts   Options
	srv    *server.Server // nil when connected to an existing cluster
	nc     *nats.Conn
	js     jetstream.JetStream
	stream jetstream.Stream
	name   string
	log    *slog.Logger

	mu     sync.Mutex
	chains map[string]*chain
	last   uint64        // the stream's last sequence as this log last saw it
	lastID string        // and that message's Nats-Msg-Id
	damage *events.Error // set once the stream is known to have lost events at its end
	lostTo uint64        // and the last sequence it lost
	hold   *events.Error // set while serve holds appends (HoldAppends)
	full   error         // the store refused the last commit for want of space
	loadMu sync.Mutex    // serialises first loads of a provider's chain
	provs  providerIndex // the providers with events, for Providers

	// groupAtomic commits each group as one atomic batch rather than a pipeline: set on a
	// cluster, where every publish waits for a replica majority and batches are staged in
	// memory. On one replica the server stages each atomic batch in a new on-disk store and,
	// with SyncAlways, fsyncs every message of it anyway, so pipelining is faster there.
	groupAtomic bool
	// blocks, when set, fsyncs the stream's block files once per group commit (SyncAlways on
	// the embedded server); see blockSync.
	blocks         *blockSync
	syncq          chan []*pending // stored groups waiting for the syncer's fsync
	syncMu         sync.Mutex      // guards ckptBlocks
	ckptBlocks     *blockSync      // the block files Sync fsyncs, apart from the syncer's
	synced         chan struct{}   // closed when the syncer has answered everything
	publishTimeout time.Duration   // one publish attempt
	acks           *ackInbox       // acknowledgements of the log's publishes

	// qmu guards the appends waiting for a commit and the turn to commit them (see lead).
	qmu     sync.Mutex
	waiting []*pending
	leading bool          // a call is committing
	closed  bool          // Close was called: no more appends
	idle    *sync.Cond    // signalled when leading becomes false
	kick    chan struct{} // hands the turn to the sequencer goroutine
	stop    chan struct{} // closed to stop the sequencer goroutine
	stopped chan struct{} // closed when it has stopped
}

var _ events.Log = (*Log)(nil)

// Open starts (or connects to) NATS, creates or checks the stream and starts the sequencer.
func Open(ctx context.Context, opts Options) (*Log, error) {
	if (opts.DataDir == "") == (opts.URL == "") {
		return nil, errors.New("natslog: set exactly one of DataDir (embedded) or URL (existing NATS)")
	}
	if opts.Stream == "" {
		opts.Stream = "LEDGER"
	}
	if opts.Replicas == 0 && opts.DataDir != "" {
		opts.Replicas = 1
	}
	if opts.Sync == "" {
		opts.Sync = SyncDefault
	}
	if opts.Sync != SyncDefault && opts.Sync != SyncAlways {
		return nil, fmt.Errorf("natslog: sync mode %q: want %q or %q", opts.Sync, SyncDefault, SyncAlways)
	}
	if opts.MaxBatch <= 0 || opts.MaxBatch > 1000 {
		opts.MaxBatch = 1000
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	l := &Log{
		opts:           opts,
		name:           opts.Stream,
		log:            opts.Logger,
		chains:         map[string]*chain{},
		groupAtomic:    opts.URL != "",
		publishTimeout: publishTimeout,
	}
	l.idle = sync.NewCond(&l.qmu)
	l.kick, l.stop, l.stopped = make(chan struct{}, 1), make(chan struct{}), make(chan struct{})
	if opts.URL != "" {
		l.publishTimeout = clusterPublishTimeout
	}
	var err error
	if opts.DataDir != "" {
		l.srv, l.nc, err = startEmbedded(opts)
	} else {
		l.nc, err = dialWaiting(ctx, opts)
	}
	if err != nil {
		return nil, err
	}
	l.js, err = jetstream.New(l.nc)
	if err == nil {
		l.acks, err = newAckInbox(l.nc)
	}
	if err == nil && opts.URL != "" {
		l.opts.Replicas, err = l.replicas(ctx)
	}
	if err == nil {
		l.stream, err = openStreamWaiting(ctx, opts, l.js, l.opts.Replicas)
	}
	if err == nil {
		err = l.readTip(ctx)
		l.checkSavedTip()
	}
	if err == nil && l.srv != nil && opts.Sync == SyncAlways {
		l.blocks, err = newBlockSync(l.srv.StoreDir(), opts.Stream)
		l.syncq, l.synced = make(chan []*pending, 64), make(chan struct{})
	}
	if err != nil {
		l.shutdown()
		return nil, err
	}
	if l.blocks != nil {
		go l.syncLoop()
	}
	go l.sequence()
	return l, nil
}

// replicas returns the replicas the stream is to have on the servers at opts.URL: as asked,
// checked against a single server; else the existing stream's; else 3 on a cluster, 1 alone.
func (l *Log) replicas(ctx context.Context) (int, error) {
	clustered := l.nc.ConnectedClusterName() != ""
	if n := l.opts.Replicas; n != 0 {
		if n > 1 && !clustered {
			return 0, fmt.Errorf("natslog: the NATS server at %s is a single server, not a cluster: the ledger stream can have 1 replica, not %d (--replicas 1)",
				redactURLs(l.opts.URL), n)
		}
		return n, nil
	}
	sctx, cancel := context.WithTimeout(ctx, l.infoTimeout())
	defer cancel()
	if s, err := l.js.Stream(sctx, l.opts.Stream); err == nil {
		return s.CachedInfo().Config.Replicas, nil
	}
	if clustered {
		return 3, nil
	}
	return 1, nil
}

// Replicas returns the number of replicas of the ledger stream.
func (l *Log) Replicas() int { return l.opts.Replicas }

// Conn returns the log's NATS connection, for components that share it (projection state,
// the WSTA feed).
func (l *Log) Conn() *nats.Conn { return l.nc }

// JetStream returns the JetStream context of the log's connection.
func (l *Log) JetStream() jetstream.JetStream { return l.js }

// StreamName returns the ledger stream's name.
func (l *Log) StreamName() string { return l.name }

// Server returns the embedded server, or nil when connected to an existing cluster.
func (l *Log) Server() *server.Server { return l.srv }

// Close waits for the commit under way (failing appends still queued), closes the connection
// and shuts the embedded server down.
func (l *Log) Close() error {
	l.qmu.Lock()
	if l.closed {
		l.qmu.Unlock()
		return nil
	}
	l.closed = true
	for l.leading {
		l.idle.Wait()
	}
	l.qmu.Unlock()
	close(l.stop)
	<-l.stopped
	if l.blocks != nil {
		close(l.syncq)
		<-l.synced
		l.blocks.close()
	}
	l.syncMu.Lock()
	if l.ckptBlocks != nil {
		l.ckptBlocks.close()
	}
	l.syncMu.Unlock()
	l.saveTip()
	l.shutdown()
	return nil
}

func (l *Log) shutdown() {
	if l.nc != nil {
		l.nc.Close()
	}
	if l.srv != nil {
		l.srv.Shutdown()
		l.srv.WaitForShutdown()
	}
}
