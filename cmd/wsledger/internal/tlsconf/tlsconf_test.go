package tlsconf_test

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/testcerts"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/tlsconf"
)

func TestLoad(t *testing.T) {
	c := testcerts.New(t)
	missing := filepath.Join(t.TempDir(), "missing.pem")
	pairs := []struct {
		name, cert, key, want string // want: a fragment of the error, "" for none
	}{
		{"the server's", c.ServerCert, c.ServerKey, ""},
		{"the client's", c.ClientCert, c.ClientKey, ""},
		{"a key that is not the certificate's", c.ServerCert, c.ClientKey, "private key does not match public key"},
		{"a missing certificate", missing, c.ServerKey, "no such file"},
		{"a key given as the certificate", c.ServerKey, c.ServerKey, "failed to find certificate PEM data"},
	}
	for _, tt := range pairs {
		t.Run("key pair: "+tt.name, func(t *testing.T) {
			pair, err := tlsconf.KeyPair(tt.cert, tt.key)
			if tt.want == "" && (err != nil || pair.Leaf == nil) {
				t.Fatalf("got %v", err)
			}
			if tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
		})
	}
	pools := []struct{ name, file, want string }{
		{"an authority", c.CA, ""},
		{"a key", c.ServerKey, "holds no PEM certificate"},
		{"a missing file", missing, "no such file"},
	}
	for _, tt := range pools {
		t.Run("pool: "+tt.name, func(t *testing.T) {
			_, err := tlsconf.Pool(tt.file)
			if (tt.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.want)) {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
		})
	}
}

func TestConfigs(t *testing.T) {
	c := testcerts.New(t)
	pair, pool := testcerts.Pair(t, c.ServerCert, c.ServerKey), testcerts.Pool(t, c.CA)
	tests := []struct {
		name       string
		c          *tls.Config
		clientAuth tls.ClientAuthType
		certs      int
	}{
		{"server", tlsconf.Server(pair, nil), tls.NoClientCert, 1},
		{"server requiring client certificates", tlsconf.Server(pair, pool), tls.RequireAndVerifyClientCert, 1},
		{"client", tlsconf.Client(pool, nil), tls.NoClientCert, 0},
		{"client with a certificate", tlsconf.Client(nil, &pair), tls.NoClientCert, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.c.MinVersion != tls.VersionTLS12 || tt.c.ClientAuth != tt.clientAuth || len(tt.c.Certificates) != tt.certs {
				t.Fatalf("min version %x, client auth %v, %d certificates", tt.c.MinVersion, tt.c.ClientAuth, len(tt.c.Certificates))
			}
		})
	}
}

func TestExpiry(t *testing.T) {
	c := testcerts.New(t)
	pair := testcerts.Pair(t, c.ServerCert, c.ServerKey)
	tests := []struct {
		name string
		now  time.Time
		want string
	}{
		{"within", time.Now(), ""},
		{"after", pair.Leaf.NotAfter.Add(time.Second), "expired on"},
		{"before", pair.Leaf.NotBefore.Add(-time.Second), "not valid before"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tlsconf.Expiry(pair, tt.now); (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestExplain(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string // a fragment of the explanation, "" when unchanged
	}{
		{"unknown authority", fmt.Errorf("connect: %w", &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}), "with --ca-flag"},
		{"another name", fmt.Errorf("connect: %w", x509.HostnameError{Certificate: &x509.Certificate{}, Host: "a"}), "not for the address"},
		{"expired", fmt.Errorf("connect: %w", x509.CertificateInvalidError{Reason: x509.Expired}), "not valid now"},
		{"client certificate wanted", errors.New("remote error: tls: certificate required"), "with --cert-flag"},
		{"connection refused", errors.New("dial tcp 127.0.0.1:1: connection refused"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tlsconf.Explain(tt.err, "--ca-flag", "--cert-flag")
			if !errors.Is(got, tt.err) {
				t.Fatalf("%v does not wrap %v", got, tt.err)
			}
			if (tt.want == "") != (got == tt.err) || !strings.Contains(got.Error(), tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
	if tlsconf.Explain(nil, "a", "b") != nil {
		t.Fatal("explained no error")
	}
}
