package cli

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/keys"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/store"
	"github.com/wsledger/wsledger/domain"
)

// subjectKeyCheck is the name the subject key's fingerprint is kept under; the fingerprint is
// the key's id of a name no command can have (no provider is empty).
const subjectKeyCheck = "subject"

// addSubjectKeyFlag adds --subject-key to a command that decides commands.
func addSubjectKeyFlag(fs *flag.FlagSet) *string {
	return fs.String("subject-key", "", "`file` of the key that derives subject ids (default DATA-keys/subject.key, or ./wsledger-keys/subject.key with --nats; created on first use; every process of one ledger needs the same file)")
}

// ledgerPolicy returns the default policy keyed with the ledger's subject key: the file given
// (by default in the keys directory beside the data directory), created on first use with a
// message saying so, and checked against the fingerprint the ledger keeps, so that no process
// derives ids with another key.
func ledgerPolicy(ctx context.Context, env Env, st *store.Store, lf *ledgerFlags, file string) (domain.Policy, error) {
	p := domain.DefaultPolicy()
	if file == "" {
		dataDir := ""
		if lf.nats == "" {
			dataDir = lf.data
		}
		file = filepath.Join(keys.Dir(dataDir), keys.SubjectKeyFile)
	}
	secret, created, err := keys.Secret(file, domain.SubjectKeySize)
	if err != nil {
		return p, fmt.Errorf("subject key: %w", err)
	}
	if created {
		fmt.Fprintf(env.Stderr, "wsledger: created the subject key %s; back it up (it is not in the data directory nor in backups), and give every process of this ledger the same file (--subject-key)\n", file)
	}
	if p.SubjectKey, err = domain.NewSubjectKey(secret); err != nil {
		return p, err
	}
	fingerprint := p.SubjectKey.AggregateID("", subjectKeyCheck, "")
	if err := keys.Match(ctx, st.JetStream(), replicasOf(st), subjectKeyCheck, fingerprint); err != nil {
		return p, fmt.Errorf("subject key %s: %w: this ledger's subject ids are derived with another key; give this process the key file the ledger's other processes use (restore it from backup if it was lost)", file, err)
	}
	return p, nil
}
