package auth

import (
	"context"
	"slices"

	"github.com/wsledger/wsledger/events"
)

// CheckProviderExists refuses a grant for a provider the ledger does not hold: providers lists
// the providers that have events (events.Log.Providers).
func CheckProviderExists(ctx context.Context, g Grant, providers func(context.Context) ([]string, error)) error {
	if g.Provider == AllProviders {
		return nil
	}
	known, err := providers(ctx)
	if err != nil {
		return err
	}
	if !slices.Contains(known, g.Provider) {
		return events.Errorf(events.Invalid, "provider",
			"provider %s does not exist in this ledger: a token is for a registered provider (see wsledger overview), or * for the roles that span providers", g.Provider)
	}
	return nil
}
