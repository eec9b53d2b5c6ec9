// Package store opens the ledger's log the way every wsledger sub-command does: an embedded
// NATS server over a data directory, with its access configuration, or an existing NATS
// deployment.
package store

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/natsauth"
	"github.com/wsledger/wsledger/events/natslog"
)

// Options say where the ledger lives. Exactly one of DataDir and URL is set.
type Options struct {
	DataDir string       // embedded server store
	URL     string       // existing NATS servers
	Creds   string       // credentials file for URL
	Sync    natslog.Sync // embedded only
	// Replicas of the ledger's streams with URL; 0: the existing stream's, else 3 on a cluster
	// and 1 on a single server.
	Replicas int
	// Wait is how long to wait, with URL, for servers that are starting (natslog.Options.Wait).
	Wait time.Duration
	// TLS, with URL, is the connection's TLS configuration; URLs with the tls:// scheme use
	// TLS with the system's authorities without it.
	TLS *tls.Config

	// Listen (embedded only) lets NATS clients connect at host:port, with the accounts and
	// users of AccessConfig (default: DataDir/nats-access.conf, generated on first run).
	Listen       string
	AccessConfig string
	// ListenTLS makes the clients at Listen use TLS (see natslog.Options.ListenTLS).
	ListenTLS *tls.Config

	Now    func() time.Time
	Logger *slog.Logger
	// Command names the wsledger command opening the store, for the data directory's lock.
	Command string
}

// Store is an open ledger log.
type Store struct {
	*natslog.Log
	// Access is the embedded server's access configuration; nil with URL.
	Access *natsauth.Access
	// Lock is the data directory's lock, held until Close; nil with URL.
	Lock *Lock
}

// Close closes the log, shuts the embedded server down and releases the data directory.
func (s *Store) Close() error {
	err := s.Log.Close()
	s.Lock.Release()
	return err
}

// lockData locks the data directory of o, when it names one.
func lockData(o Options) (*Lock, error) {
	if o.DataDir == "" {
		return nil, nil
	}
	command := o.Command
	if command == "" {
		command = "command"
	}
	return Acquire(o.DataDir, command)
}

// Open opens the log. The embedded server always runs with the access configuration, listening
// or not, so that the ledger's stream stays in the same account either way.
func Open(ctx context.Context, o Options) (*Store, error) {
	no, access, err := natslogOptions(o, false)
	if err != nil {
		return nil, err
	}
	lock, err := lockData(o)
	if err != nil {
		return nil, err
	}
	l, err := natslog.Open(ctx, no)
	if err != nil {
		lock.Release()
		return nil, fmt.Errorf("open the ledger: %w", err)
	}
	return &Store{Log: l, Access: access, Lock: lock}, nil
}

// Connect connects to the ledger's NATS server without opening the log (nor creating its
// stream), for backup and restore. With restoring the embedded server lets the ledger's own
// user delete and restore the ledger stream.
func Connect(o Options, restoring bool) (*Conn, error) {
	no, _, err := natslogOptions(o, restoring)
	if err != nil {
		return nil, err
	}
	lock, err := lockData(o)
	if err != nil {
		return nil, err
	}
	c, err := natslog.Connect(no)
	if err != nil {
		lock.Release()
		return nil, err
	}
	return &Conn{Conn: c, lock: lock}, nil
}

// Conn is a connection to the ledger's NATS server that holds the data directory's lock.
type Conn struct {
	*natslog.Conn
	lock *Lock
}

// Close closes the connection, shuts the embedded server down and releases the directory.
func (c *Conn) Close() {
	c.Conn.Close()
	c.lock.Release()
}

func natslogOptions(o Options, restoring bool) (natslog.Options, *natsauth.Access, error) {
	if (o.DataDir == "") == (o.URL == "") {
		return natslog.Options{}, nil, errors.New("give either a data directory (--data) or a NATS URL (--nats)")
	}
	no := natslog.Options{DataDir: o.DataDir, URL: o.URL, Creds: o.Creds, Sync: o.Sync, Replicas: o.Replicas, Wait: o.Wait,
		Now: o.Now, Logger: o.Logger}
	if o.DataDir == "" {
		if o.Listen != "" || o.AccessConfig != "" || o.ListenTLS != nil {
			return natslog.Options{}, nil, errors.New("--nats-listen and --nats-config apply to the embedded server only, not with --nats")
		}
		if o.TLS != nil {
			no.ConnectOptions = []nats.Option{nats.Secure(o.TLS)}
		}
		return no, nil, nil
	}
	if o.TLS != nil {
		return natslog.Options{}, nil, errors.New("--nats-ca, --nats-cert and --nats-key apply to --nats only")
	}
	a, err := natsauth.Prepare(o.DataDir, o.AccessConfig)
	if err != nil {
		return natslog.Options{}, nil, err
	}
	if restoring {
		a.AllowRestore()
	}
	no.Listen, no.ListenTLS = o.Listen, o.ListenTLS
	no.ConfigureServer = a.Configure
	no.ConnectOptions = a.ConnectOptions()
	return no, a, nil
}

// NATS returns the connection itself.
func (c *Conn) NATS() *nats.Conn { return c.Conn.Conn }
