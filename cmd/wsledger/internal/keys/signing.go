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
	"regexp"
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
		skey, vkey, err := createKey(path, ledgerName, "signing key")
		if err == nil {
			err = os.WriteFile(filepath.Join(filepath.Dir(path), VerifierKeyFile), []byte(vkey+"\n"), 0o644)
		}
		if err == nil {
			fmt.Fprintf(w, "created the ledger's signing key in %s: back it up and keep it off the store's machine if you can; every process that appends to this ledger needs the same file. Its verifier key, for auditors and witnesses:\n%s\n", path, vkey)
		}
		return skey, err
	}
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("no signing key at %s: run wsledger serve, submit or demo once to create it, or give --signing-key", path)
	}
	if err != nil {
		return "", fmt.Errorf("signing key: %w", err)
	}
	skey, name, err := readKey(path, data, "signing key")
	if err != nil {
		return "", err
	}
	if name != ledgerName {
		return "", fmt.Errorf("the signing key %s is the key of ledger %q, not %q: give --ledger-name %s, or another --signing-key", path, name, ledgerName, name)
	}
	return skey, nil
}

// LoadWitness reads a witness's key at path, or makes it (Ed25519, named name, mode 0600 in a
// directory of mode 0700) when there is none and says on w where it is and what its verifier
// key is. A key readable by others, or named other than name, is refused. name must be fit for a
// NATS subject token, as cosignatures are sent on witness.<name>.<provider>.
func LoadWitness(path, name string, w io.Writer) (skey, vkey string, err error) {
	if !witnessName.MatchString(name) {
		return "", "", fmt.Errorf("--name %q: a witness's name is 1 to 40 letters, digits, '-' or '_', starting with a letter or digit", name)
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		skey, vkey, err := createKey(path, name, "witness key")
		if err == nil {
			fmt.Fprintf(w, "created the key of witness %s in %s: back it up; a witness keeps its key for good. Its verifier key, for the ledger's serve --witness-key:\n%s\n", name, path, vkey)
		}
		return skey, vkey, err
	}
	if err != nil {
		return "", "", fmt.Errorf("witness key: %w", err)
	}
	skey, got, err := readKey(path, data, "witness key")
	if err != nil {
		return "", "", err
	}
	if got != name {
		return "", "", fmt.Errorf("the witness key %s is the key of witness %q, not %q: give --name %s, or another --key", path, got, name, got)
	}
	vkey, err = evidence.VerifierKey(skey)
	return skey, vkey, err
}

var witnessName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$`)

// createKey writes a new key named name at path, which must not exist, readable by its owner
// only.
func createKey(path, name, what string) (skey, vkey string, err error) {
	skey, vkey, err = evidence.GenerateKey(name)
	if err != nil {
		return "", "", err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", "", fmt.Errorf("%s: %w", what, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", "", fmt.Errorf("%s: %w", what, err)
	}
	if _, err := f.WriteString(skey + "\n"); err != nil {
		f.Close()
		return "", "", fmt.Errorf("%s: %w", what, err)
	}
	if err := f.Close(); err != nil {
		return "", "", fmt.Errorf("%s: %w", what, err)
	}
	return skey, vkey, nil
}

// readKey checks a key file's mode and content and returns the key and its name.
func readKey(path string, data []byte, what string) (skey, name string, err error) {
	if err := CheckPrivate(path); err != nil {
		return "", "", err
	}
	skey = strings.TrimSpace(string(data))
	vkey, err := evidence.VerifierKey(skey)
	if err != nil {
		return "", "", fmt.Errorf("%s %s: %w", what, path, err)
	}
	return skey, LedgerName(vkey), nil
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

// LedgerName returns the name a verifier key carries: the ledger's, or a witness's.
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
