// Package tlsconf builds the TLS configurations of wsledger's listeners (HTTPS, the embedded
// NATS server) and clients (the command line's --server, --nats) from PEM files, with the same
// floor everywhere: TLS 1.2 or later, Go's default cipher suites.
package tlsconf

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

// MinVersion is the oldest TLS version wsledger offers or accepts.
const MinVersion = tls.VersionTLS12

// KeyPair loads a certificate (with any intermediates after it) and its private key.
func KeyPair(certFile, keyFile string) (tls.Certificate, error) {
	pair, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("certificate %s and key %s: %w", certFile, keyFile, err)
	}
	return pair, nil
}

// Pool loads the certificates of the authorities in a PEM file.
func Pool(file string) (*x509.CertPool, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(data) {
		return nil, fmt.Errorf("%s holds no PEM certificate", file)
	}
	return pool, nil
}

// Server returns a listener's configuration. With clientCAs set, every client must present a
// certificate one of them signed.
func Server(pair tls.Certificate, clientCAs *x509.CertPool) *tls.Config {
	c := server(clientCAs)
	c.Certificates = []tls.Certificate{pair}
	return c
}

// server returns a listener's configuration without its certificate.
func server(clientCAs *x509.CertPool) *tls.Config {
	c := &tls.Config{MinVersion: MinVersion}
	if clientCAs != nil {
		c.ClientCAs, c.ClientAuth = clientCAs, tls.RequireAndVerifyClientCert
	}
	return c
}

// Client returns a client's configuration: it trusts roots (the system's when nil) and, when
// pair is set, presents it to servers that ask for a client certificate.
func Client(roots *x509.CertPool, pair *tls.Certificate) *tls.Config {
	c := &tls.Config{MinVersion: MinVersion, RootCAs: roots}
	if pair != nil {
		c.Certificates = []tls.Certificate{*pair}
	}
	return c
}

// Expiry says whether a certificate is outside its validity period at now, or "" when it is
// within it.
func Expiry(pair tls.Certificate, now time.Time) string {
	leaf := pair.Leaf
	if leaf == nil {
		return ""
	}
	switch {
	case now.After(leaf.NotAfter):
		return "expired on " + leaf.NotAfter.UTC().Format(time.DateTime) + " UTC"
	case now.Before(leaf.NotBefore):
		return "not valid before " + leaf.NotBefore.UTC().Format(time.DateTime) + " UTC"
	}
	return ""
}

// Explain adds what to do to a TLS client failure: err unchanged when it is not one. caFlag and
// certFlag name the options that supply an authority and a client certificate.
func Explain(err error, caFlag, certFlag string) error {
	var (
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		invalid  x509.CertificateInvalidError
	)
	switch {
	case err == nil:
		return nil
	case errors.As(err, &unknown):
		return fmt.Errorf("%w (the server's certificate is signed by an authority this machine does not trust: give that authority's certificate with %s)", err, caFlag)
	case errors.As(err, &hostname):
		return fmt.Errorf("%w (the server's certificate is not for the address given)", err)
	case errors.As(err, &invalid):
		return fmt.Errorf("%w (the server's certificate is not valid now)", err)
	case strings.Contains(err.Error(), "remote error: tls:") && strings.Contains(err.Error(), "certificate"),
		strings.Contains(err.Error(), "closed by remote after TLS handshake"):
		// The server's TLS alert, or (with TLS 1.3, where the client finishes its handshake
		// first) the connection closing at once: it wanted a client certificate, or not the
		// one it got.
		return fmt.Errorf("%w (the server wants a client certificate signed by an authority it trusts: give one with %s)", err, certFlag)
	}
	return err
}
