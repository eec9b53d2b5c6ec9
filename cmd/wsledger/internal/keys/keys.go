// Package keys keeps the ledger's secrets outside its store: in a keys directory beside the
// data directory (DATA-keys/, or ./wsledger-keys/ on a NATS deployment), mode 0700, each file
// 0600. A copy of the data directory, or of a backup, carries no key. See docs/operations.md,
// "Keys".
package keys

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// SubjectKeyFile is the subject key's name in the keys directory.
const SubjectKeyFile = "subject.key"

// Dir returns a ledger's keys directory: beside its data directory, or ./wsledger-keys for a
// ledger on a NATS deployment (dataDir "").
func Dir(dataDir string) string {
	if dataDir == "" {
		return "wsledger-keys"
	}
	return filepath.Clean(dataDir) + "-keys"
}

// CheckPrivate refuses a key file that group or others may read or write, or that lies in a
// directory they may write to (and so replace it).
func CheckPrivate(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if m := fi.Mode().Perm(); m&0o077 != 0 {
		return fmt.Errorf("key file %s may be read or written by group or others (mode %04o); it must be 0600: chmod 600 %s", path, m, path)
	}
	dir := filepath.Dir(path)
	di, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if m := di.Mode().Perm(); m&0o022 != 0 {
		return fmt.Errorf("keys directory %s may be written by group or others (mode %04o); it must be 0700: chmod 700 %s", dir, m, dir)
	}
	return nil
}

// Secret returns the secret of n bytes that path holds (hex, on one line), after CheckPrivate.
// When path does not exist it is created, with its directory (0700), holding n fresh random
// bytes, and created is true.
func Secret(path string, n int) (secret []byte, created bool, err error) {
	text, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return create(path, n)
	}
	if err != nil {
		return nil, false, err
	}
	if err := CheckPrivate(path); err != nil {
		return nil, false, err
	}
	secret, err = hex.DecodeString(strings.TrimSpace(string(text)))
	if err != nil || len(secret) != n {
		return nil, false, fmt.Errorf("key file %s does not hold a %d-byte key in hex", path, n)
	}
	return secret, false, nil
}

func create(path string, n int) ([]byte, bool, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, false, err
	}
	secret := make([]byte, n)
	if _, err := rand.Read(secret); err != nil {
		return nil, false, err
	}
	// Written whole to a file of its own, then linked into place: two processes starting at once
	// never both create a key, and neither reads a half-written one; the loser reads the
	// winner's.
	tmp, err := os.CreateTemp(filepath.Dir(path), ".new-key-*")
	if err != nil {
		return nil, false, err
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.WriteString(hex.EncodeToString(secret) + "\n")
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, false, err
	}
	if err := os.Link(tmp.Name(), path); errors.Is(err, fs.ErrExist) {
		return Secret(path, n)
	} else if err != nil {
		return nil, false, err
	}
	return secret, true, CheckPrivate(path)
}
