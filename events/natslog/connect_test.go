package natslog_test

import (
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nkeys"

	"github.com/wsledger/wsledger/events/natslog"
	"github.com/wsledger/wsledger/events/natslog/natstest"
)

// startServer runs a single nats-server with JetStream on loopback, configured by edit.
func startServer(t *testing.T, port int, edit func(*server.Options)) *server.Server {
	t.Helper()
	o := &server.Options{Host: "127.0.0.1", Port: port, JetStream: true, StoreDir: t.TempDir(), NoSigs: true, NoLog: true}
	if edit != nil {
		edit(o)
	}
	srv, err := server.NewServer(o)
	if err != nil {
		t.Fatal(err)
	}
	go srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		t.Fatal("server not ready")
	}
	t.Cleanup(srv.Shutdown)
	return srv
}

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestCredentialsForms connects with each form of credentials file --creds takes: a user and
// password, and an nkey seed; a file of neither form is refused, saying what it wants.
func TestCredentialsForms(t *testing.T) {
	kp, err := nkeys.CreateUser()
	if err != nil {
		t.Fatal(err)
	}
	seed, _ := kp.Seed()
	pub, _ := kp.PublicKey()
	srv := startServer(t, -1, func(o *server.Options) {
		o.Users = []*server.User{{Username: "ledger", Password: "s3cret-pass"}}
		o.Nkeys = []*server.NkeyUser{{Nkey: pub}}
	})
	for _, tt := range []struct{ name, file string }{
		{"user and password", "ledger:s3cret-pass\n"},
		{"nkey seed", string(seed) + "\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			l := open(t, natslog.Options{URL: srv.ClientURL(), Creds: writeFile(t, "creds", tt.file), Wait: -1})
			if _, err := l.Append(t.Context(), req("", note(1))); err != nil {
				t.Fatal(err)
			}
		})
	}
	_, err = natslog.Open(t.Context(), natslog.Options{URL: srv.ClientURL(), Creds: writeFile(t, "creds", "just-a-word\n"), Wait: -1})
	if err == nil || !strings.Contains(err.Error(), "user:password") {
		t.Fatalf("a file of no known form: %v, want an error naming the forms", err)
	}
}

// TestReplicasOnASingleServer: with --nats on one server the stream gets one replica by
// default, and asking for three is refused with what to do.
func TestReplicasOnASingleServer(t *testing.T) {
	srv := startServer(t, -1, nil)
	_, err := natslog.Open(t.Context(), natslog.Options{URL: srv.ClientURL(), Replicas: 3, Wait: -1})
	if err == nil || !strings.Contains(err.Error(), "--replicas 1") {
		t.Fatalf("three replicas on a single server: %v, want a refusal naming --replicas 1", err)
	}
	l := open(t, natslog.Options{URL: srv.ClientURL(), Wait: -1})
	if l.Replicas() != 1 {
		t.Fatalf("default replicas on a single server: %d, want 1", l.Replicas())
	}
}

// TestOpenWaitsForAStartingServer opens the log before its server accepts connections: Open
// waits, saying so in the log, and succeeds once the server is up.
func TestOpenWaitsForAStartingServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	var logs natstest.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	opened := make(chan error, 1)
	go func() {
		l, err := natslog.Open(t.Context(), natslog.Options{URL: fmt.Sprintf("nats://127.0.0.1:%d", port), Logger: logger, Wait: time.Minute})
		if err == nil {
			l.Close()
		}
		opened <- err
	}()
	natstest.Poll(t, time.Minute, "Open to say it waits", func() bool { return strings.Contains(logs.String(), "waiting for the NATS servers") })
	startServer(t, port, nil)
	if err := <-opened; err != nil {
		t.Fatalf("open once the server started: %v", err)
	}
}
