// Package streams bounds the long-lived connections a server holds open (the API's event
// stream, the dashboard's live updates): at most PerToken per token, and at most Total in all
// for the roles that do not oversee (case managers, WSTA). CSQA auditors, supervisors,
// program managers and admins count against their own token's cap only, so no other token can
// starve their streams.
package streams

import (
	"fmt"
	"sync"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/auth"
	"github.com/wsledger/wsledger/events"
)

// Defaults of Limits.
const (
	DefaultPerToken = 8
	DefaultTotal    = 256
)

// Limits counts open streams.
type Limits struct {
	PerToken, Total int

	mu      sync.Mutex
	byToken map[string]int
	shared  int // streams of the roles the total bounds
}

// New returns limits with the given caps (0 for the defaults).
func New(perToken, total int) *Limits {
	if perToken <= 0 {
		perToken = DefaultPerToken
	}
	if total <= 0 {
		total = DefaultTotal
	}
	return &Limits{PerToken: perToken, Total: total, byToken: map[string]int{}}
}

// ErrTokenCap and ErrFull are the refusals of Open.
var (
	ErrTokenCap = fmt.Errorf("this token already holds its maximum of open streams")
	ErrFull     = fmt.Errorf("the server holds its maximum of open streams")
)

// Open counts a new stream of p and returns the function that ends it, or ErrTokenCap or
// ErrFull.
func (l *Limits) Open(p auth.Principal) (func(), error) {
	oversees := oversight(p.Role)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.byToken[p.TokenID] >= l.PerToken {
		return nil, ErrTokenCap
	}
	if !oversees && l.shared >= l.Total {
		return nil, ErrFull
	}
	l.byToken[p.TokenID]++
	if !oversees {
		l.shared++
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			l.mu.Lock()
			defer l.mu.Unlock()
			if l.byToken[p.TokenID]--; l.byToken[p.TokenID] == 0 {
				delete(l.byToken, p.TokenID)
			}
			if !oversees {
				l.shared--
			}
		})
	}, nil
}

// oversight reports the roles whose streams the total never refuses.
func oversight(role string) bool {
	switch role {
	case events.RoleCSQAAuditor, events.RoleSupervisor, events.RoleProgramManager, events.RoleAdmin:
		return true
	}
	return false
}
