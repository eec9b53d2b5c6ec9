// Package store opens the ledger's log the way every wsledger sub-command does: an embedded
// NATS server over a data directory, with its access configuration, or an existing NATS
// deployment.
package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/natsauth"
	"github.com/wsledger/wsledger/events/natslog"
)

// Options say where the ledger lives. Exactly one of DataDir and URL is set.
type Options struct {
	DataDir string       // embedded server store
	URL     string       // existing NATS servers
	Creds   string       // credentials file for URL
	Sync    natslog.Sync // embedded only

	// Listen (embedded only) lets NATS clients connect at host:port, with the accounts and
	// users of AccessConfig (default: DataDir/nats-access.conf, generated on first run).
	Listen       string
	AccessConfig string

	Now    func() time.Time
	Logger *slog.Logger
}

// Store is an open ledger log.
type Store struct {
	*natslog.Log
	// Access is the embedded server's access configuration; nil with URL.
	Access *natsauth.Access
}

// Open opens the log. The embedded server always runs with the access configuration, listening
// or not, so that the ledger's stream stays in the same account either way.
func Open(ctx context.Context, o Options) (*Store, error) {
	if (o.DataDir == "") == (o.URL == "") {
		return nil, errors.New("give either a data directory (--data) or a NATS URL (--nats)")
	}
	no := natslog.Options{DataDir: o.DataDir, URL: o.URL, Creds: o.Creds, Sync: o.Sync, Now: o.Now, Logger: o.Logger}
	s := &Store{}
	if o.DataDir != "" {
		a, err := natsauth.Prepare(o.DataDir, o.AccessConfig)
		if err != nil {
			return nil, err
		}
		s.Access = a
		no.Listen = o.Listen
		no.ConfigureServer = a.Configure
		no.ConnectOptions = a.ConnectOptions()
	} else if o.Listen != "" || o.AccessConfig != "" {
		return nil, errors.New("--nats-listen and --nats-config apply to the embedded server only, not with --nats")
	}
	l, err := natslog.Open(ctx, no)
	if err != nil {
		return nil, fmt.Errorf("open the ledger: %w", err)
	}
	s.Log = l
	return s, nil
}
