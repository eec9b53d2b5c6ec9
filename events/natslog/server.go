package natslog

import (
	"errors"
	"fmt"
	"net"
	"strconv"
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
		copts = append(copts, nats.UserCredentials(opts.Creds))
	}
	copts = append(copts, opts.ConnectOptions...)
	nc, err := nats.Connect(opts.URL, copts...)
	if err != nil {
		return nil, fmt.Errorf("natslog: connect to %s: %w", opts.URL, err)
	}
	return nc, nil
}
