package cli

import (
	"context"

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
