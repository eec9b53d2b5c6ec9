// Package natsauth sets up who may do what on wsledger's embedded NATS server: accounts and
// users come from a nats-server configuration file (generated in the data directory on first
// run), and wsledger adds its own user and the permissions that keep the ledger append-only
// whatever the file says. See docs/operations.md, "NATS access".
package natsauth

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// Names wsledger relies on in the access configuration.
const (
	// Account is the account that holds the ledger stream; the configuration must define it
	// with JetStream enabled.
	Account = "LEDGER"
	// LedgerUser is the ledger's own user. wsledger adds it at every start with a password that
	// lives only in memory, so no file holds a credential that can publish events.
	LedgerUser = "wsledger"
	// ledgerInbox is the inbox prefix of the ledger's own connection, outside the _INBOX.>
	// that other users may subscribe to, so no one can read the ledger's replies.
	ledgerInbox = "_INBOX_wsledger"
)

// DefaultConfigFile is the access configuration's name in the data directory.
const DefaultConfigFile = "nats-access.conf"

// Access is a loaded access configuration, ready to configure the embedded server.
type Access struct {
	// ConfigPath is the nats-server configuration file the accounts and users came from.
	ConfigPath string
	// Generated is set when Prepare wrote a default configuration because none existed.
	Generated *Generated

	parsed         *server.Options
	ledgerAccount  *server.Account
	ledgerPassword string
	restoring      bool
}

// AllowRestore lets the ledger's own user delete and restore the ledger stream, for wsledger
// restore only: that command runs the embedded server while nothing else uses it.
func (a *Access) AllowRestore() { a.restoring = true }

// Prepare loads the access configuration at configPath, or, when configPath is "", the one in
// dataDir, writing a default configuration there first when there is none.
func Prepare(dataDir, configPath string) (*Access, error) {
	a := &Access{ConfigPath: configPath}
	if configPath == "" {
		a.ConfigPath = filepath.Join(dataDir, DefaultConfigFile)
		if _, err := os.Stat(a.ConfigPath); errors.Is(err, os.ErrNotExist) {
			if a.Generated, err = writeDefault(dataDir, a.ConfigPath); err != nil {
				return nil, err
			}
		}
	}
	parsed, err := server.ProcessConfigFile(a.ConfigPath)
	if err != nil {
		return nil, fmt.Errorf("NATS access configuration %s: %w", a.ConfigPath, err)
	}
	if err := check(parsed); err != nil {
		return nil, fmt.Errorf("NATS access configuration %s: %w", a.ConfigPath, err)
	}
	if err := checkPermissions(parsed, a.ConfigPath); err != nil {
		return nil, fmt.Errorf("NATS access configuration %s, %w", a.ConfigPath, err)
	}
	a.parsed = parsed
	for _, acc := range parsed.Accounts {
		if acc.Name == Account {
			a.ledgerAccount = acc
		}
	}
	if a.ledgerPassword, err = randomSecret(); err != nil {
		return nil, err
	}
	return a, nil
}

// check refuses configurations wsledger cannot run with.
func check(o *server.Options) error {
	switch {
	case len(o.TrustedOperators) > 0 || len(o.TrustedKeys) > 0:
		return errors.New("operator (JWT) mode is not supported by the embedded server; run your own NATS and use --nats")
	case o.Username != "" || o.Authorization != "":
		return errors.New("a single user or token for the whole server is not supported; define users inside accounts")
	}
	found := false
	for _, acc := range o.Accounts {
		found = found || acc.Name == Account
	}
	if !found {
		return fmt.Errorf("it must define the account %s (with jetstream: enabled), which holds the ledger", Account)
	}
	for _, u := range o.Users {
		if u.Username == LedgerUser {
			return fmt.Errorf("the user name %s is the ledger's own and is added by wsledger; remove it", LedgerUser)
		}
	}
	return nil
}

// Configure installs the accounts and users on the embedded server's options: the users of the
// configuration, each denied publishing events and changing the ledger stream or the token
// bucket, and the ledger's own user, denied changing the ledger stream. It is meant for
// natslog.Options.ConfigureServer.
func (a *Access) Configure(so *server.Options) {
	so.Accounts = a.parsed.Accounts
	so.SystemAccount = a.parsed.SystemAccount
	so.NoAuthUser = a.parsed.NoAuthUser
	so.Users = nil
	for _, u := range a.parsed.Users {
		c := *u
		c.Permissions = withDenied(u.Permissions, othersDenied(), othersUnreadable())
		so.Users = append(so.Users, &c)
	}
	so.Users = append(so.Users, &server.User{
		Username:    LedgerUser,
		Password:    a.ledgerPassword,
		Account:     a.ledgerAccount,
		Permissions: withDenied(nil, ledgerDenied(a.restoring), nil),
	})
	so.Nkeys = nil
	for _, u := range a.parsed.Nkeys {
		c := *u
		c.Permissions = withDenied(u.Permissions, othersDenied(), othersUnreadable())
		so.Nkeys = append(so.Nkeys, &c)
	}
}

// ConnectOptions are the connection options of the ledger's own in-process connection.
func (a *Access) ConnectOptions() []nats.Option {
	return []nats.Option{nats.UserInfo(LedgerUser, a.ledgerPassword), nats.CustomInboxPrefix(ledgerInbox)}
}

// randomSecret returns 32 random bytes, base64url encoded.
func randomSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random secret: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
