// Package testcerts writes, for tests of TLS, a private certificate authority and the
// certificates it signed: a server certificate for the loopback addresses and a client
// certificate. Everything is generated afresh in the test's temporary directory.
package testcerts

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Set is the PEM files of one generated authority and its certificates.
type Set struct {
	CA         string // the authority's certificate
	ServerCert string // for localhost, 127.0.0.1 and ::1
	ServerKey  string
	ClientCert string // for client authentication, common name "wsta"
	ClientKey  string
	// OtherCA is a second authority's certificate: it signed none of the above.
	OtherCA string
}

// New generates a Set in a new temporary directory of t.
func New(t testing.TB) *Set {
	t.Helper()
	dir := t.TempDir()
	s := &Set{}
	ca, caKey := authority(t, "wsledger test CA")
	s.CA = writeCert(t, dir, "ca.pem", ca)
	other, _ := authority(t, "another test CA")
	s.OtherCA = writeCert(t, dir, "other-ca.pem", other)

	server := template(t, "localhost")
	server.DNSNames = []string{"localhost"}
	server.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}
	server.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
	s.ServerCert, s.ServerKey = leaf(t, dir, "server", server, ca, caKey)

	client := template(t, "wsta")
	client.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	s.ClientCert, s.ClientKey = leaf(t, dir, "client", client, ca, caKey)
	return s
}

func template(t testing.TB, name string) *x509.Certificate {
	t.Helper()
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		t.Fatal(err)
	}
	return &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: name},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
}

// authority returns a self-signed CA certificate and its key.
func authority(t testing.TB, name string) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key := newKey(t)
	tmpl := template(t, name)
	tmpl.IsCA, tmpl.BasicConstraintsValid = true, true
	tmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature
	return sign(t, tmpl, tmpl, &key.PublicKey, key), key
}

// leaf signs tmpl with the CA and writes the certificate and its key as NAME.pem and
// NAME-key.pem.
func leaf(t testing.TB, dir, name string, tmpl, ca *x509.Certificate, caKey *ecdsa.PrivateKey) (certFile, keyFile string) {
	t.Helper()
	key := newKey(t)
	cert := sign(t, tmpl, ca, &key.PublicKey, caKey)
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return writeCert(t, dir, name+".pem", cert), writePEM(t, dir, name+"-key.pem", "PRIVATE KEY", der)
}

func newKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func sign(t testing.TB, tmpl, parent *x509.Certificate, pub *ecdsa.PublicKey, by *ecdsa.PrivateKey) *x509.Certificate {
	t.Helper()
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, by)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

func writeCert(t testing.TB, dir, name string, cert *x509.Certificate) string {
	t.Helper()
	return writePEM(t, dir, name, "CERTIFICATE", cert.Raw)
}

func writePEM(t testing.TB, dir, name, kind string, der []byte) string {
	t.Helper()
	file := filepath.Join(dir, name)
	if err := os.WriteFile(file, pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

// Pair loads a certificate and its key, as a TLS endpoint presents them.
func Pair(t testing.TB, certFile, keyFile string) tls.Certificate {
	t.Helper()
	pair, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	return pair
}

// Pool returns a pool holding the authority certificate in file.
func Pool(t testing.TB, file string) *x509.CertPool {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(data) {
		t.Fatalf("%s holds no certificate", file)
	}
	return pool
}

// Install copies the PEM file src to dst, as a renewal does, and gives dst a modification time
// a second past its previous one, so that the change shows whatever the file system's
// timestamp resolution.
func Install(t testing.TB, src, dst string) {
	t.Helper()
	mod := time.Now()
	if info, err := os.Stat(dst); err == nil {
		mod = info.ModTime().Add(time.Second)
	}
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(dst, mod, mod); err != nil {
		t.Fatal(err)
	}
}
