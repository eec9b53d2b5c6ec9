package natslog

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// startEmbedded runs nats-server with JetStream in this process and connects to it in-process.
func startEmbedded(opts Options) (*server.Server, *nats.Conn, error) {
	so := &server.Options{
		ServerName:         "wsledger",
		JetStream:          true,
		StoreDir:           opts.DataDir,
		DontListen:         opts.Listen == "",
		NoSigs:             true,
		MaxPayload:         8 << 20,
		JetStreamMaxMemory: 256 << 20,
	}
	// With SyncAlways the log itself fsyncs once per group commit (blockSync), so the server
	// keeps its periodic sync rather than one fsync per message.
	if opts.SyncInterval > 0 {
		so.SyncInterval = opts.SyncInterval
	}
	if opts.Listen != "" {
		host, port, err := net.SplitHostPort(opts.Listen)
		if err != nil {
			return nil, nil, fmt.Errorf("natslog: listen address %q: %w", opts.Listen, err)
		}
		so.Host = host
		if so.Port, err = strconv.Atoi(port); err != nil {
			return nil, nil, fmt.Errorf("natslog: listen port %q: %w", port, err)
		}
	}
	if opts.ListenTLS != nil {
		if opts.Listen == "" {
			return nil, nil, errors.New("natslog: ListenTLS needs Listen")
		}
		so.TLSConfig = opts.ListenTLS
		so.TLSVerify = opts.ListenTLS.ClientAuth == tls.RequireAndVerifyClientCert
		// The server's 2 s default is short for a handshake on a loaded machine.
		so.TLSTimeout = 5
	}
	if opts.ConfigureServer != nil {
		opts.ConfigureServer(so)
	}
	srv, err := server.NewServer(so)
	if err != nil {
		return nil, nil, fmt.Errorf("natslog: embedded server: %w", err)
	}
	go srv.Start()
	if !srv.ReadyForConnections(30 * time.Second) {
		srv.Shutdown()
		return nil, nil, errors.New("natslog: embedded server did not become ready in 30s")
	}
	copts := append([]nats.Option{nats.InProcessServer(srv), nats.Name("wsledger"), nats.MaxReconnects(-1)}, opts.ConnectOptions...)
	nc, err := nats.Connect("", copts...)
	if err != nil {
		srv.Shutdown()
		return nil, nil, fmt.Errorf("natslog: connect to embedded server: %w", err)
	}
	return srv, nc, nil
}

// connect dials an existing NATS deployment.
func connect(opts Options) (*nats.Conn, error) {
	copts := []nats.Option{nats.Name("wsledger"), nats.MaxReconnects(-1)}
	if opts.Creds != "" {
		o, err := credentials(opts.Creds)
		if err != nil {
			return nil, err
		}
		copts = append(copts, o)
	}
	copts = append(copts, opts.ConnectOptions...)
	nc, err := nats.Connect(opts.URL, copts...)
	if err != nil {
		return nil, fmt.Errorf("natslog: connect to %s: %w", redactURLs(opts.URL), err)
	}
	return nc, nil
}

// Conn is a connection to the ledger's NATS server without the log: for tools that work on
// the stream as a whole (backup, restore) and must not create it.
type Conn struct {
	*nats.Conn
	srv *server.Server // nil when connected to an existing deployment
}

// Connect starts the embedded server of opts.DataDir, or dials opts.URL, and connects to it.
// Unlike Open it neither creates nor checks the stream.
func Connect(opts Options) (*Conn, error) {
	if (opts.DataDir == "") == (opts.URL == "") {
		return nil, errors.New("natslog: set exactly one of DataDir (embedded) or URL (existing NATS)")
	}
	if opts.URL != "" {
		nc, err := connect(opts)
		return &Conn{Conn: nc}, err
	}
	srv, nc, err := startEmbedded(opts)
	if err != nil {
		return nil, err
	}
	return &Conn{Conn: nc, srv: srv}, nil
}

// Embedded reports whether the connection runs its own embedded server.
func (c *Conn) Embedded() bool { return c.srv != nil }

// Close closes the connection and shuts the embedded server down.
func (c *Conn) Close() {
	c.Conn.Close()
	if c.srv != nil {
		c.srv.Shutdown()
		c.srv.WaitForShutdown()
	}
}

// redactURLs hides the passwords of comma-separated server URLs, for errors and logs.
func redactURLs(urls string) string {
	list := strings.Split(urls, ",")
	for i, s := range list {
		if u, err := url.Parse(strings.TrimSpace(s)); err == nil && u.User != nil {
			if _, has := u.User.Password(); has {
				list[i] = u.Redacted()
			} else {
				// A user name alone is how nats URLs carry a token.
				u.User = url.User("xxxxx")
				list[i] = u.String()
			}
		} else if err != nil {
			list[i] = "(unparsable URL)"
		}
	}
	return strings.Join(list, ",")
}
