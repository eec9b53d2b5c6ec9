package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/store"
)

// openStore opens the ledger the flags name.
func openStore(ctx context.Context, lf *ledgerFlags) (*store.Store, error) {
	o, err := lf.options()
	if err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, o)
	return st, lf.explain(err)
}

// openExisting opens the ledger the flags name for a command that reads it: an embedded data
// directory that does not exist is refused rather than created, so that a mistyped --data is not
// verified as an empty, intact ledger.
func openExisting(ctx context.Context, lf *ledgerFlags) (*store.Store, error) {
	if lf.nats == "" && lf.data != "" {
		if _, err := os.Stat(lf.data); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("no ledger at %s: the directory does not exist (give --data, $WSLEDGER_DATA or --nats)", lf.data)
		}
	}
	return openStore(ctx, lf)
}
