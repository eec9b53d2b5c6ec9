package tlsconf_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/testcerts"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/tlsconf"
)

// TestReloading renews the files under a listener's certificate, as a renewal job does, and
// checks what the next handshake is given.
func TestReloading(t *testing.T) {
	first, renewed := testcerts.New(t), testcerts.New(t)
	dir := t.TempDir()
	cert, key := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	testcerts.Install(t, first.ServerCert, cert)
	testcerts.Install(t, first.ServerKey, key)
	var changes []error
	r, err := tlsconf.NewReloading(cert, key, func(err error) { changes = append(changes, err) })
	if err != nil {
		t.Fatal(err)
	}
	serial := func() string {
		t.Helper()
		pair, err := r.Server(nil).GetCertificate(nil)
		if err != nil {
			t.Fatal(err)
		}
		return pair.Leaf.SerialNumber.String()
	}
	serialOf := func(s *testcerts.Set) string {
		return testcerts.Pair(t, s.ServerCert, s.ServerKey).Leaf.SerialNumber.String()
	}

	steps := []struct {
		name    string
		change  func()
		want    *testcerts.Set
		changes []string // "" for a reload, else a fragment of its error
	}{
		{"unchanged files", func() {}, first, nil},
		{"the certificate renewed before its key: the old pair stays", func() { testcerts.Install(t, renewed.ServerCert, cert) }, first, []string{"private key does not match"}},
		{"the next handshake before the key: no second report", func() {}, first, []string{"private key does not match"}},
		{"the key written too: the renewed pair", func() { testcerts.Install(t, renewed.ServerKey, key) }, renewed, []string{"private key does not match", ""}},
		{"the files removed: the pair in service stays", func() { os.Remove(cert) }, renewed, []string{"private key does not match", ""}},
	}
	for _, s := range steps {
		s.change()
		if got, want := serial(), serialOf(s.want); got != want {
			t.Fatalf("%s: serving serial %s, want %s", s.name, got, want)
		}
		if len(changes) != len(s.changes) {
			t.Fatalf("%s: changes %v, want %q", s.name, changes, s.changes)
		}
		for i, want := range s.changes {
			if (want == "") != (changes[i] == nil) || (want != "" && !strings.Contains(changes[i].Error(), want)) {
				t.Fatalf("%s: change %d is %v, want %q", s.name, i, changes[i], want)
			}
		}
	}
}

func TestNewReloadingRefusesBadFiles(t *testing.T) {
	c := testcerts.New(t)
	if _, err := tlsconf.NewReloading(c.ServerCert, c.ClientKey, func(error) {}); err == nil || !strings.Contains(err.Error(), "private key does not match") {
		t.Fatalf("got %v", err)
	}
	if _, err := tlsconf.NewReloading(filepath.Join(t.TempDir(), "none.pem"), c.ServerKey, func(error) {}); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Fatalf("got %v", err)
	}
}
