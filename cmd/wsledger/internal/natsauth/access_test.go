package natsauth_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/ledger"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/natsauth"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/store"
	"github.com/wsledger/wsledger/domain"
)

// openListening opens a ledger whose embedded server accepts NATS clients on a random port.
func openListening(t *testing.T, dir, config string) *store.Store {
	t.Helper()
	s, err := store.Open(t.Context(), store.Options{DataDir: dir, Listen: "127.0.0.1:-1", AccessConfig: config})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// connect dials the embedded server as a user and collects the permission violations the
// server reports asynchronously.
func connect(t *testing.T, s *store.Store, user, password string) (*nats.Conn, <-chan error) {
	t.Helper()
	violations := make(chan error, 16)
	// bcrypt under the race detector can outlast the default two-second connect timeout.
	nc, err := nats.Connect(s.Server().ClientURL(), nats.UserInfo(user, password), nats.Timeout(30*time.Second),
		nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
			select {
			case violations <- err:
			default:
			}
		}))
	if err != nil {
		t.Fatalf("connect as %s: %v", user, err)
	}
	t.Cleanup(nc.Close)
	return nc, violations
}

func wantViolation(t *testing.T, violations <-chan error, subject string) {
	t.Helper()
	select {
	case err := <-violations:
		if !errors.Is(err, nats.ErrPermissionViolation) || !strings.Contains(err.Error(), subject) {
			t.Errorf("got %v, want a permission violation for %s", err, subject)
		}
	case <-time.After(5 * time.Second):
		t.Errorf("no permission violation reported for %s", subject)
	}
}

func register(t *testing.T, s *store.Store) {
	t.Helper()
	svc := ledger.New(s.Log, domain.DefaultPolicy(), time.Now)
	_, err := svc.Submit(t.Context(), []byte(`{"type":"RegisterProvider","provider":"north","actor":{"staff_id":"ad1","role":"admin"},"name":"North","region":"southcentral"}`))
	if err != nil {
		t.Fatal(err)
	}
}

func TestDefaultAccess(t *testing.T) {
	dir := t.TempDir()
	s := openListening(t, dir, "")
	if s.Access.Generated == nil {
		t.Fatal("no default configuration was generated")
	}
	pw, err := os.ReadFile(filepath.Join(dir, natsauth.WSTAPasswordFile))
	if err != nil || strings.TrimSpace(string(pw)) != s.Access.Generated.WSTAPassword {
		t.Fatalf("password file: %q, %v", pw, err)
	}
	conf, _ := os.ReadFile(filepath.Join(dir, natsauth.DefaultConfigFile))
	if strings.Contains(string(conf), s.Access.Generated.WSTAPassword) {
		t.Fatal("the configuration holds the WSTA password in clear")
	}
	register(t, s)
	wsta, violations := connect(t, s, natsauth.WSTAUser, s.Access.Generated.WSTAPassword)
	js, err := jetstream.New(wsta)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("wsta receives what the ledger publishes on wsta.>", func(t *testing.T) {
		sub, err := wsta.SubscribeSync(natsauth.FeedSubjects)
		if err != nil {
			t.Fatal(err)
		}
		if err := wsta.Flush(); err != nil {
			t.Fatal(err)
		}
		if err := s.Conn().Publish("wsta.north.notice", []byte(`{"ok":true}`)); err != nil {
			t.Fatal(err)
		}
		m, err := sub.NextMsg(5 * time.Second)
		if err != nil || string(m.Data) != `{"ok":true}` {
			t.Fatalf("got %v, %v", m, err)
		}
	})

	// JetStream API requests go out as plain requests: a denied one gets no answer.
	request := func(subject string) func() error {
		return func() error {
			_, err := wsta.Request(subject, []byte("{}"), 300*time.Millisecond)
			return err
		}
	}
	denied := []struct {
		name, subject string
		try           func() error
	}{
		{"publish an event", "ledger.north", func() error { return wsta.Publish("ledger.north.provider.x", []byte("{}")) }},
		{"publish on the feed", "wsta.north", func() error { return wsta.Publish("wsta.north.forged", []byte("{}")) }},
		{"delete the ledger stream", "$JS.API.STREAM.DELETE.LEDGER", request("$JS.API.STREAM.DELETE.LEDGER")},
		{"purge the ledger stream", "$JS.API.STREAM.PURGE.LEDGER", request("$JS.API.STREAM.PURGE.LEDGER")},
		{"edit the ledger stream", "$JS.API.STREAM.UPDATE.LEDGER", request("$JS.API.STREAM.UPDATE.LEDGER")},
		{"delete a ledger event", "$JS.API.STREAM.MSG.DELETE.LEDGER", request("$JS.API.STREAM.MSG.DELETE.LEDGER")},
		{"read the ledger stream", "$JS.API.CONSUMER.CREATE.LEDGER", request("$JS.API.CONSUMER.CREATE.LEDGER")},
		{"read the token bucket", "$JS.API.STREAM.INFO.KV_" + natsauth.TokenBucket, request("$JS.API.STREAM.INFO.KV_" + natsauth.TokenBucket)},
	}
	for _, tt := range denied {
		t.Run("wsta may not "+tt.name, func(t *testing.T) {
			_ = tt.try()
			_ = wsta.Flush()
			wantViolation(t, violations, tt.subject)
		})
	}
	t.Run("wsta may read the feed stream's API", func(t *testing.T) {
		// The stream does not exist here; the request is answered (not refused) either way.
		if _, err := js.Stream(t.Context(), natsauth.FeedStream); !errors.Is(err, jetstream.ErrStreamNotFound) {
			t.Fatalf("got %v, want stream not found", err)
		}
	})

	t.Run("nobody deletes or purges the ledger stream, not even the ledger", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		if err := s.JetStream().DeleteStream(ctx, natsauth.LedgerStream); err == nil {
			t.Fatal("the ledger's own connection deleted the stream")
		}
		info, err := s.JetStream().Stream(t.Context(), natsauth.LedgerStream)
		if err != nil || info.CachedInfo().State.Msgs != 1 {
			t.Fatalf("stream after the attempts: %v", err)
		}
	})
}

func TestConfiguredUsersCannotWriteTheLedger(t *testing.T) {
	// An operator who reads the ledger stream is allowed; what it was not given stays denied,
	// and so does what wsledger denies every user besides.
	dir := t.TempDir()
	config := filepath.Join(dir, "access.conf")
	err := os.WriteFile(config, []byte(`accounts: { LEDGER: { jetstream: enabled, users: [ {user: ops, password: "ops-secret",
		permissions: { publish: { allow: ["$JS.API.INFO", "$JS.API.STREAM.INFO.LEDGER"] } } } ] } }`), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	s := openListening(t, filepath.Join(dir, "data"), config)
	if s.Access.Generated != nil {
		t.Fatal("a default configuration was generated beside the given one")
	}
	register(t, s)
	ops, violations := connect(t, s, "ops", "ops-secret")
	if err := ops.Publish("ledger.north.provider.x", []byte("{}")); err != nil {
		t.Fatal(err)
	}
	_ = ops.Flush()
	wantViolation(t, violations, "ledger.north")

	// Commands forwarded between the ledger's processes act as any actor and carry personal
	// data: nobody else sends or reads them.
	if err := ops.Publish("wsledger.writer.LEDGER.x", []byte("{}")); err != nil {
		t.Fatal(err)
	}
	_ = ops.Flush()
	wantViolation(t, violations, "wsledger.writer.LEDGER.x")
	if _, err := ops.SubscribeSync("wsledger.writer.>"); err != nil {
		t.Fatal(err)
	}
	_ = ops.Flush()
	wantViolation(t, violations, "wsledger.writer.>")

	js, _ := jetstream.New(ops)
	ctx, cancel := context.WithTimeout(t.Context(), time.Second)
	defer cancel()
	if err := js.DeleteStream(ctx, natsauth.LedgerStream); err == nil {
		t.Fatal("ops deleted the ledger stream")
	}
	wantViolation(t, violations, "$JS.API.STREAM.DELETE.LEDGER")
	// Reading is the operator's to grant: ops may read the stream's state.
	st, err := js.Stream(t.Context(), natsauth.LedgerStream)
	if err != nil || st.CachedInfo().State.Msgs != 1 {
		t.Fatalf("ops reading the stream: %v", err)
	}
}

func TestRefusedConfigurations(t *testing.T) {
	tests := []struct{ name, config, want string }{
		{"no ledger account", `accounts: { OTHER: { users: [ {user: a, password: b} ] } }`, "must define the account LEDGER"},
		{"the ledger's own user", `accounts: { LEDGER: { jetstream: enabled, users: [ {user: wsledger, password: b} ] } }`, "ledger's own"},
		{"one user for the server", `authorization: { user: a, password: b }`, "single user"},
		{"not a configuration", `accounts: {`, "nats-access"},
		{"a user who may do anything", "accounts: { LEDGER: { jetstream: enabled, users: [\n {user: ops, password: b} ] } }", "line 2: user ops may publish to ledger.>"},
		{"a user who may create streams", `accounts: { LEDGER: { jetstream: enabled, users: [ {user: ops, password: b, permissions: { publish: { allow: ["$JS.API.>"], deny: ["$JS.API.STREAM.DELETE.>"] } } } ] } }`, "user ops may publish to $JS.API.STREAM.CREATE.*"},
		{"a user who may read the token bucket", `accounts: { LEDGER: { jetstream: enabled, users: [ {user: ops, password: b, permissions: { publish: { allow: ["$JS.API.DIRECT.GET.>"] } } } ] } }`, "$JS.API.DIRECT.GET.KV_WSLEDGER_TOKENS"},
		// Seen from outside: a monitoring user of the system account purged the ledger's account.
		{"a system account user beyond monitoring", "accounts: { LEDGER: { jetstream: enabled }, SYS: { users: [ {user: mon, password: b} ] } }\nsystem_account: SYS", "line 1: user mon of the system account may publish to >"},
		{"a system account user who may purge an account", `accounts: { LEDGER: { jetstream: enabled }, SYS: { users: [ {user: mon, password: b, permissions: { publish: { allow: ["$SYS.REQ.SERVER.PING.VARZ", "$JS.API.ACCOUNT.PURGE.*"] } } } ] } }
system_account: SYS`, "may publish to $JS.API.ACCOUNT.PURGE.*"},
		// Seen from outside: no_auth_user naming the ledger's own user made password-less
		// clients the ledger.
		{"no_auth_user is the ledger's own user", "accounts: { LEDGER: { jetstream: enabled, users: [ {user: r, password: b, permissions: { publish: { deny: \">\" } } } ] } }\nno_auth_user: wsledger", "line 2: no_auth_user wsledger"},
		{"no_auth_user may publish", `accounts: { LEDGER: { jetstream: enabled, users: [ {user: anon, password: b, permissions: { publish: { allow: ["wsta.>"] } } } ] } }
no_auth_user: anon`, "no_auth_user anon would let"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "nats-access.conf")
			if err := os.WriteFile(path, []byte(tt.config), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := natsauth.Prepare(dir, path)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

// TestAllowedConfigurations are the shapes docs/operations.md shows: each passes the check
// and the server starts with it.
func TestAllowedConfigurations(t *testing.T) {
	wsta := `"$JS.API.INFO", "$JS.API.STREAM.INFO.WSTA", "$JS.API.CONSUMER.CREATE.WSTA", "$JS.API.CONSUMER.CREATE.WSTA.>", "$JS.API.CONSUMER.DURABLE.CREATE.WSTA.>", "$JS.API.CONSUMER.INFO.WSTA.>", "$JS.API.CONSUMER.MSG.NEXT.WSTA.>", "$JS.ACK.WSTA.>"`
	tests := []struct{ name, config string }{
		{"monitoring", `accounts: { LEDGER: { jetstream: enabled }, SYS: { users: [ {user: mon, password: b, permissions: {
			publish: { allow: ["$SYS.REQ.SERVER.PING.VARZ", "$SYS.REQ.SERVER.PING.JSZ", "$SYS.REQ.SERVER.*.HEALTHZ"] }, subscribe: { allow: ["_INBOX.>"] } } } ] } }
system_account: SYS`},
		{"WSTA", `accounts: { LEDGER: { jetstream: enabled, users: [ {user: wsta2, password: b, permissions: {
			publish: { allow: [` + wsta + `] }, subscribe: { allow: ["wsta.>", "_INBOX.>"] } } } ] } }`},
		{"a witness on the WSTA feed", `accounts: { LEDGER: { jetstream: enabled, users: [ {user: witness, password: b, permissions: {
			publish: { allow: [` + wsta + `, "witness.wsta.>"] }, subscribe: { allow: ["wsta.>", "_INBOX.>"] } } } ] } }`},
		{"a read-only subscriber", `accounts: { LEDGER: { jetstream: enabled, users: [ {user: reader, password: b, permissions: {
			publish: { deny: ">" }, subscribe: { allow: ["wsta.>"] } } } ] } }
no_auth_user: reader`},
		{"an operator reading the ledger stream", `accounts: { LEDGER: { jetstream: enabled, users: [ {user: ops, password: b, permissions: {
			publish: { allow: ["$JS.API.INFO", "$JS.API.STREAM.INFO.LEDGER", "$JS.API.DIRECT.GET.LEDGER.>", "$JS.API.CONSUMER.CREATE.LEDGER.>", "$JS.API.CONSUMER.DELETE.LEDGER.>"] },
			subscribe: { allow: ["_INBOX.>"] } } } ] } }`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "access.conf")
			if err := os.WriteFile(path, []byte(tt.config), 0o600); err != nil {
				t.Fatal(err)
			}
			openListening(t, filepath.Join(dir, "data"), path)
		})
	}
}
