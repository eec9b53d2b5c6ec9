package store_test

import (
	"crypto/tls"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/ledger"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/store"
	"github.com/wsledger/wsledger/domain"
)

func TestOpenRefusesMixedOptions(t *testing.T) {
	tests := []struct {
		name string
		o    store.Options
		want string
	}{
		{"neither", store.Options{}, "either a data directory"},
		{"both", store.Options{DataDir: t.TempDir(), URL: "nats://127.0.0.1:1"}, "either a data directory"},
		{"listen with a cluster", store.Options{URL: "nats://127.0.0.1:1", Listen: "127.0.0.1:4222"}, "embedded server only"},
		{"access configuration with a cluster", store.Options{URL: "nats://127.0.0.1:1", AccessConfig: "a.conf"}, "embedded server only"},
		{"listener TLS with a cluster", store.Options{URL: "nats://127.0.0.1:1", ListenTLS: &tls.Config{}}, "embedded server only"},
		{"client TLS with the embedded server", store.Options{DataDir: t.TempDir(), TLS: &tls.Config{}}, "apply to --nats only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := store.Open(t.Context(), tt.o); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
		})
	}
}

func TestOpenEmbeddedKeepsItsAccount(t *testing.T) {
	// The stream lives in the LEDGER account whether or not the server listens: reopening the
	// same data directory with a listener finds the events written without one.
	dir := t.TempDir()
	s, err := store.Open(t.Context(), store.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	svc := ledger.New(s, domain.DefaultPolicy(), time.Now)
	if _, err := svc.Submit(t.Context(), []byte(`{"type":"RegisterProvider","provider":"north","actor":{"staff_id":"ad1","role":"admin"},"name":"North","region":"interior"}`)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = store.Open(t.Context(), store.Options{DataDir: dir, Listen: "127.0.0.1:-1"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if head, err := s.Head(t.Context(), "north"); err != nil || head.Position != 1 {
		t.Fatalf("after reopening with a listener: head %+v, %v", head, err)
	}
}

// twoAccounts is the example of docs/operations.md, "An existing NATS deployment": the
// ledger's account with wsledger's user alone, and the feed's account with wsledger's feed
// user and the feed's readers.
const twoAccounts = `
jetstream: { store_dir: %q }
accounts: {
  LEDGER: { jetstream: enabled, users: [
    { user: wsledger, password: ledger-secret, permissions: {
        publish: { deny: ["$JS.API.STREAM.DELETE.LEDGER", "$JS.API.STREAM.PURGE.LEDGER", "$JS.API.STREAM.UPDATE.LEDGER",
                          "$JS.API.STREAM.RESTORE.LEDGER", "$JS.API.STREAM.MSG.DELETE.LEDGER"] } } }
  ] }
  FEED: { jetstream: enabled, users: [
    { user: wsledger_feed, password: feed-secret, permissions: {
        publish: { deny: ["$JS.API.STREAM.DELETE.WSTA", "$JS.API.STREAM.PURGE.WSTA", "$JS.API.STREAM.UPDATE.WSTA", "$JS.API.STREAM.MSG.DELETE.WSTA"] } } }
    { user: wsta, password: wsta-secret, permissions: {
        publish: { allow: ["$JS.API.INFO", "$JS.API.STREAM.INFO.WSTA", "$JS.API.CONSUMER.CREATE.WSTA", "$JS.API.CONSUMER.CREATE.WSTA.>",
                           "$JS.API.CONSUMER.DURABLE.CREATE.WSTA.>", "$JS.API.CONSUMER.INFO.WSTA.>", "$JS.API.CONSUMER.MSG.NEXT.WSTA.>", "$JS.ACK.WSTA.>"] }
        subscribe: { allow: ["wsta.>", "_INBOX.>"] } } }
  ] }
}
`

// startTwoAccounts runs a NATS server with the example's accounts and returns its URL and
// the ledger's and the feed's credentials files.
func startTwoAccounts(t *testing.T) (url, ledgerCreds, feedCreds string) {
	t.Helper()
	dir := t.TempDir()
	config := filepath.Join(dir, "nats.conf")
	if err := os.WriteFile(config, fmt.Appendf(nil, twoAccounts, filepath.Join(dir, "js")), 0o600); err != nil {
		t.Fatal(err)
	}
	o, err := server.ProcessConfigFile(config)
	if err != nil {
		t.Fatal(err)
	}
	o.Host, o.Port, o.NoSigs, o.NoLog = "127.0.0.1", -1, true, true
	srv, err := server.NewServer(o)
	if err != nil {
		t.Fatal(err)
	}
	go srv.Start()
	t.Cleanup(func() { srv.Shutdown(); srv.WaitForShutdown() })
	if !srv.ReadyForConnections(20 * time.Second) {
		t.Fatal("the NATS server did not start")
	}
	ledgerCreds, feedCreds = filepath.Join(dir, "ledger.creds"), filepath.Join(dir, "feed.creds")
	for file, userPassword := range map[string]string{ledgerCreds: "wsledger:ledger-secret", feedCreds: "wsledger_feed:feed-secret"} {
		if err := os.WriteFile(file, []byte(userPassword+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return srv.ClientURL(), ledgerCreds, feedCreds
}

// TestFeedAccountOnADeployment: with --feed-creds the WSTA feed lives in the account of those
// credentials, beside the ledger's and not in it; without them it shares the ledger's
// connection.
func TestFeedAccountOnADeployment(t *testing.T) {
	url, ledgerCreds, feedCreds := startTwoAccounts(t)
	for _, tt := range []struct {
		name, feedCreds string
		separate        bool
	}{
		{"with --feed-creds", feedCreds, true},
		{"without", "", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			st, err := store.Open(t.Context(), store.Options{URL: url, Creds: ledgerCreds, FeedCreds: tt.feedCreds, Replicas: 1})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if separate := st.FeedConn() != st.Conn(); separate != tt.separate {
				t.Fatalf("the feed has a connection of its own: %v, want %v", separate, tt.separate)
			}
			name := "WSTA_" + strings.ReplaceAll(tt.name, " ", "_")
			if _, err := st.FeedJetStream().CreateStream(t.Context(), jetstream.StreamConfig{Name: name, Subjects: []string{name + ".>"}}); err != nil {
				t.Fatal(err)
			}
			_, err = st.JetStream().Stream(t.Context(), name)
			if inLedger := err == nil; inLedger == tt.separate {
				t.Fatalf("the feed's stream is in the ledger's account: %v (%v)", inLedger, err)
			}
		})
	}
	if _, err := store.Open(t.Context(), store.Options{DataDir: t.TempDir(), FeedCreds: feedCreds}); err == nil || !strings.Contains(err.Error(), "--feed-creds applies to --nats only") {
		t.Fatalf("--feed-creds with the embedded server: %v", err)
	}
}
