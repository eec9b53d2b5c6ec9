package keys_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/keys"
)

// TestLoadWitness: a witness's key is made on first use, readable by its owner only, and read
// back the same; a key others may read, a key of another witness and a name unfit for a NATS
// subject are refused.
func TestLoadWitness(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "keys", "w1.key")
	var said bytes.Buffer
	skey, vkey, err := keys.LoadWitness(path, "w1", &said)
	if err != nil || !strings.HasPrefix(vkey, "w1+") || !strings.Contains(said.String(), "created the key of witness w1 in "+path) || !strings.Contains(said.String(), vkey) {
		t.Fatalf("first use: %v, %q, %q", err, vkey, said.String())
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, %v", info, err)
	}
	said.Reset()
	again, vagain, err := keys.LoadWitness(path, "w1", &said)
	if err != nil || again != skey || vagain != vkey || said.Len() != 0 {
		t.Fatalf("second use: %v, same key %v, said %q", err, again == skey, said.String())
	}

	readable := filepath.Join(dir, "readable.key")
	if _, _, err := keys.LoadWitness(readable, "w1", &said); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(readable, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, path, witness, want string }{
		{"readable by others", readable, "w1", "may be read or written by group or others"},
		{"another witness's key", path, "w2", `the key of witness "w1", not "w2"`},
		{"a name with a dot", filepath.Join(dir, "x.key"), "w.1", "a witness's name is 1 to 40 letters"},
		{"a wildcard name", filepath.Join(dir, "y.key"), "*", "a witness's name is 1 to 40 letters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := keys.LoadWitness(tt.path, tt.witness, &said); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error saying %q", err, tt.want)
			}
		})
	}
}
