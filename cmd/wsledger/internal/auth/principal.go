// Package auth is wsledger's authentication and authorisation: bearer tokens bound to a member
// of staff, a role and a provider, kept only as SHA-256 hashes in a JetStream key-value bucket,
// and the Principal a token stands for with what it may read and write.
package auth

import (
	"context"

	"github.com/wsledger/wsledger/events"
)

// AllProviders is the provider of a token that spans every provider. Only CSQA auditors, WSTA
// and admins may hold one.
const AllProviders = "*"

// Principal is who a request acts as: the member of staff and role a token was issued to, and
// the provider (or AllProviders) it is bound to.
type Principal struct {
	TokenID  string `json:"token_id"`
	StaffID  string `json:"staff_id"`
	Role     string `json:"role"`
	Provider string `json:"provider"`
	// Owner is set for a command forwarded by the store's owner (a --data command sent to the
	// wsledger serve that holds the data directory): it acts as the actor its commands name,
	// as it would with the store opened itself.
	Owner bool `json:"owner,omitempty"`
}

// OwnerPrincipal is the principal of the store's owner.
func OwnerPrincipal() Principal {
	return Principal{TokenID: "owner", StaffID: "owner", Role: events.RoleAdmin, Provider: AllProviders, Owner: true}
}

// Actor returns the principal as a command's actor.
func (p Principal) Actor() events.Actor { return events.Actor{StaffID: p.StaffID, Role: p.Role} }

func (p Principal) covers(provider string) bool {
	return p.Provider == AllProviders || p.Provider == provider
}

// CanRead reports whether the principal may read a provider's views, history and events.
// WSTA reads the feed only.
func (p Principal) CanRead(provider string) bool {
	return p.Role != events.RoleWSTA && p.covers(provider)
}

// CanReadAll reports whether the principal may read every provider, and so the statewide views.
func (p Principal) CanReadAll() bool {
	return p.Role != events.RoleWSTA && p.Provider == AllProviders
}

// CanReadStatewide reports whether the principal may read the statewide view: every provider's
// headline numbers and the state's totals, which carry no client data. Those who read every
// provider may, and so may WSTA with a token for every provider, which oversees them all.
func (p Principal) CanReadStatewide() bool {
	return p.Provider == AllProviders && (p.Role == events.RoleWSTA || p.CanReadAll())
}

// CanReadFeed reports whether the principal may read the WSTA feed of a provider ("" for every
// provider's).
func (p Principal) CanReadFeed(provider string) bool {
	if provider == "" {
		return p.Provider == AllProviders
	}
	return p.covers(provider)
}

// CanSubmit reports whether the principal may submit commands for a provider. CSQA auditors
// are read-only; which commands a role may issue is the domain's role table (domain.Allowed).
func (p Principal) CanSubmit(provider string) bool {
	return p.Role != events.RoleCSQAAuditor && p.covers(provider)
}

type principalKey struct{}

// WithPrincipal returns a context that carries the principal.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the principal a context carries.
func PrincipalFrom(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}
