package auth

import (
	"regexp"
	"slices"
	"strings"

	"github.com/wsledger/wsledger/events"
)

// Grant is what a new token may do: act as a member of staff in a role, for one provider or,
// for the roles that span providers, all of them.
type Grant struct {
	StaffID  string
	Role     string
	Provider string
	Label    string // a note for the token list, e.g. who holds it
}

// Roles lists the roles a token may carry.
var Roles = []string{events.RoleCaseManager, events.RoleSupervisor, events.RoleProgramManager,
	events.RoleCSQAAuditor, events.RoleWSTA, events.RoleAdmin}

// spanningRoles may hold tokens for AllProviders: they work across providers by office.
var spanningRoles = []string{events.RoleCSQAAuditor, events.RoleWSTA, events.RoleAdmin}

var staffIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`)

// Check refuses a grant that names an unknown role, a malformed staff id or provider, or spans
// providers for a role bound to one.
func (g Grant) Check() error {
	switch {
	case !staffIDPattern.MatchString(g.StaffID):
		return events.Errorf(events.Invalid, "staff_id", "staff id %q must be 1 to 64 letters, digits, '-' or '_', starting with a letter or digit", g.StaffID)
	case !slices.Contains(Roles, g.Role):
		return events.Errorf(events.Invalid, "role", "role %q must be one of %s", g.Role, strings.Join(Roles, ", "))
	case g.Provider == AllProviders && !slices.Contains(spanningRoles, g.Role):
		return events.Errorf(events.Invalid, "provider", "a %s works for one provider; only %s tokens may span providers (%q)", g.Role, strings.Join(spanningRoles, ", "), AllProviders)
	case g.Provider != AllProviders:
		if err := events.CheckProvider(g.Provider); err != nil {
			return events.Errorf(events.Invalid, "provider", "provider: %v", err)
		}
	}
	if len(g.Label) > 200 {
		return events.Errorf(events.Invalid, "label", "label must be at most 200 characters")
	}
	return nil
}
