package keys

// The signing key is kept where the store is not, so that an operator who can change the
// store's files cannot, by the same token, sign a checkpoint over what they changed.

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/wsledger/wsledger/events/evidence"
)

// DefaultLedgerName is the ledger's name when none is given: the signing key's name and the
// first part of every checkpoint's origin.
const DefaultLedgerName = "wsledger"

// SigningKeyFile is the signing key's file name in the keys directory, and VerifierKeyFile the
// file beside it that holds its verifier key (public; checking commands read it by default).
const (
	SigningKeyFile  = "signing.key"
	VerifierKeyFile = "verifier.key"
)

// LoadSigning reads the signing key at path. With create, a missing key is made (Ed25519, named
// ledgerName) and written with mode 0600 in a directory of mode 0700, and where it is, and that
// it must be backed up, is said on w. A key readable by others, one inside dataDir, or one named
// other than ledgerName is refused.
func LoadSigning(path, dataDir, ledgerName string, create bool, w io.Writer) (string, error) {
	if err := evidence.CheckName(ledgerName); err != nil {
		return "", fmt.Errorf("--ledger-name: %w", err)
	}
	if dataDir != "" {
		if rel, err := filepath.Rel(absolute(dataDir), absolute(path)); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return "", fmt.Errorf("the signing key %s is inside the data directory %s: keep it beside it (the default is %s)", path, dataDir, filepath.Join(Dir(dataDir), SigningKeyFile))
		}
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && create {
		return createSigning(path, ledgerName, w)
	}
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("no signing key at %s: run wsledger serve, submit or demo once to create it, or give --signing-key", path)
	}
	if err != nil {
		return "", fmt.Errorf("signing key: %w", err)
	}
	if err := CheckPrivate(path); err != nil {
		return "", err
	}
	skey := strings.TrimSpace(string(data))
	vkey, err := evidence.VerifierKey(skey)
	if err != nil {
		return "", fmt.Errorf("signing key %s: %w", path, err)
	}
	if name, _, _ := strings.Cut(vkey, "+"); name != ledgerName {
		return "", fmt.Errorf("the signing key %s is the key of ledger %q, not %q: give --ledger-name %s, or another --signing-key", path, name, ledgerName, name)
	}
	return skey, nil
}

func createSigning(path, ledgerName string, w io.Writer) (string, error) {
	skey, vkey, err := evidence.GenerateKey(ledgerName)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", fmt.Errorf("signing key: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", fmt.Errorf("signing key: %w", err)
	}
	if _, err := f.WriteString(skey + "\n"); err != nil {
		f.Close()
		return "", fmt.Errorf("signing key: %w", err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("signing key: %w", err)
	}
	if err := os.WriteFile(filepath.Join(filepath.Dir(path), VerifierKeyFile), []byte(vkey+"\n"), 0o644); err != nil {
		return "", fmt.Errorf("verifier key: %w", err)
	}
	fmt.Fprintf(w, "created the ledger's signing key in %s: back it up and keep it off the store's machine if you can; every process that appends to this ledger needs the same file. Its verifier key, for auditors and witnesses:\n%s\n", path, vkey)
	return skey, nil
}

// VerifierKey reads a verifier key given as its text (name+hash+base64key) or as @FILE.
func VerifierKey(arg string) (string, error) {
	if arg == "" {
		return "", errors.New("a verifier key is required (--verifier-key KEY or @FILE; wsledger verifier-key prints it)")
	}
	if path, ok := strings.CutPrefix(arg, "@"); ok {
		data, err := os.ReadFile(path)
		if err != nil {
			return "", fmt.Errorf("verifier key: %w", err)
		}
		arg = strings.TrimSpace(string(data))
	}
	if strings.HasPrefix(arg, "PRIVATE+KEY+") {
		return "", errors.New("that is a signing key, which must stay private: give the verifier key (wsledger verifier-key prints it)")
	}
	if err := evidence.CheckVerifierKey(arg); err != nil {
		return "", err
	}
	return arg, nil
}

// LedgerName returns the ledger name a verifier key carries.
func LedgerName(vkey string) string {
	name, _, _ := strings.Cut(vkey, "+")
	return name
}

func absolute(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return a
}
