package natsauth

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"strconv"
	"text/template"
)

// Upgraded says that Prepare rewrote a default access configuration of an earlier version.
type Upgraded struct {
	// Backup is the earlier file, kept beside the configuration.
	Backup string
}

// UpgradeBackupSuffix names the copy of an earlier default configuration that upgrade keeps.
const UpgradeBackupSuffix = ".ledger-account.bak"

// upgrade rewrites the access configuration at path to the present default shape when it is,
// byte for byte, the default that earlier versions wrote (the wsta user in the ledger's
// account), keeping the WSTA user's password hash, so its password file stays valid, and the
// earlier file beside it. Any other file is left as it is, for the checks to accept or refuse.
func upgrade(path string) (*Upgraded, error) {
	text, err := os.ReadFile(path)
	if err != nil || !bytes.HasPrefix(text, []byte(header)) {
		return nil, nil // a file that cannot be read is reported by the parser
	}
	m := legacyHash.FindSubmatch(text)
	if m == nil {
		return nil, nil
	}
	hash, err := strconv.Unquote(string(m[1]))
	if err != nil {
		return nil, nil
	}
	was, err := render(legacyTemplate, hash)
	if err != nil || !bytes.Equal(was, text) {
		return nil, err
	}
	now, err := render(defaultTemplate, hash)
	if err != nil {
		return nil, err
	}
	backup := path + UpgradeBackupSuffix
	if err := writeNew(backup, text); err != nil {
		return nil, fmt.Errorf("keep the earlier configuration before rewriting it: %w", err)
	}
	tmp := path + ".new"
	if err := os.WriteFile(tmp, now, 0o600); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, err
	}
	return &Upgraded{Backup: backup}, nil
}

// legacyHash finds the WSTA user's password hash in a default configuration.
var legacyHash = regexp.MustCompile(`(?m)^\s*password: ("[^"\n]*")$`)

// writeNew writes a file that must not exist yet, readable by the owner only.
func writeNew(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s exists already; move it away and start again", path)
	}
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// legacyTemplate is the default configuration that versions before the feed's own account
// wrote: the wsta user in the ledger's account, where any request it made could have the
// server deliver into ledger.>.
var legacyTemplate = template.Must(template.New("legacy").Funcs(template.FuncMap{"q": strconv.Quote}).Parse(
	header + `
# - Account {{.Account}} holds the ledger stream and must keep "jetstream: enabled".
# - wsledger adds its own user ({{.LedgerUser}}) at every start, with a password that exists only
#   in memory: no file holds a credential that can append events.
# - Whatever this file says, wsledger denies every user listed here publishing to ledger.>,
#   deleting, purging or editing the {{.Stream}} stream, and touching the {{.Bucket}} bucket.
# - The {{.WSTAUser}} user may subscribe to {{.FeedSubjects}} and consume the {{.FeedStream}} stream, nothing else.
#   Its password is in {{.PasswordFile}} (this file keeps only its bcrypt hash); change it with
#   "nats server passwd" or any bcrypt tool and restart wsledger.
accounts: {
  {{.Account}}: {
` + wstaAccountBody))
