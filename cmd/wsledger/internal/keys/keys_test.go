package keys_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/keys"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/store"
)

func TestDir(t *testing.T) {
	for dataDir, want := range map[string]string{"./wsledger-data": "wsledger-data-keys", "/var/lib/wsledger/": "/var/lib/wsledger-keys", "": "wsledger-keys"} {
		if got := keys.Dir(dataDir); got != want {
			t.Errorf("Dir(%q) = %q, want %q", dataDir, got, want)
		}
	}
}

func TestSecretIsCreatedPrivateAndKept(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data-keys", keys.SubjectKeyFile)
	first, created, err := keys.Secret(path, 32)
	if err != nil || !created || len(first) != 32 {
		t.Fatalf("first use: %d bytes, created %v, %v", len(first), created, err)
	}
	for p, want := range map[string]os.FileMode{path: 0o600, filepath.Dir(path): 0o700} {
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v (%v), want %04o", p, fi.Mode().Perm(), err, want)
		}
	}
	again, created, err := keys.Secret(path, 32)
	if err != nil || created || !bytes.Equal(again, first) {
		t.Fatalf("second use: created %v, same %v, %v", created, bytes.Equal(again, first), err)
	}
}

func TestSecretRefusesWhatOthersCanReach(t *testing.T) {
	tests := []struct {
		name      string
		file, dir os.FileMode
		want      string
	}{
		{"a key file readable by others", 0o644, 0o700, "may be read or written by group or others (mode 0644)"},
		{"a key file readable by the group", 0o640, 0o700, "(mode 0640)"},
		{"a keys directory others may write to", 0o600, 0o777, "may be written by group or others (mode 0777)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "keys", keys.SubjectKeyFile)
			if _, _, err := keys.Secret(path, 32); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, tt.file); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(filepath.Dir(path), tt.dir); err != nil {
				t.Fatal(err)
			}
			if _, _, err := keys.Secret(path, 32); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
		})
	}
	t.Run("a file that is not a key", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), keys.SubjectKeyFile)
		if err := os.WriteFile(path, []byte("not hex\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, _, err := keys.Secret(path, 32); err == nil || !strings.Contains(err.Error(), "does not hold a 32-byte key") {
			t.Fatalf("got %v", err)
		}
	})
}

func TestMatch(t *testing.T) {
	st, err := store.Open(t.Context(), store.Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	steps := []struct {
		fingerprint string
		want        error
	}{
		{"first", nil}, // recorded
		{"first", nil}, // the same key again
		{"second", keys.ErrOtherKey},
	}
	for i, s := range steps {
		if err := keys.Match(t.Context(), st.JetStream(), 1, "subject", s.fingerprint); !errors.Is(err, s.want) || (s.want == nil) != (err == nil) {
			t.Fatalf("step %d (%s): %v, want %v", i+1, s.fingerprint, err, s.want)
		}
	}
}
