package store_test

import (
	"crypto/tls"
	"strings"
	"testing"
	"time"

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
