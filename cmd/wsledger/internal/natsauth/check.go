package natsauth

import (
	"cmp"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/nats-io/nats-server/v2/server"
)

// ProjectionStore is the object store of the read models' snapshots (projections/runner).
const ProjectionStore = "wsledger_projections"

// monitoring are the system account's requests that only read the servers' state; a user of
// the system account may publish these and its replies, nothing else.
func monitoring() []string {
	out := []string{"_INBOX.>", "$SYS.REQ.SERVER.PING"}
	for _, z := range []string{"VARZ", "CONNZ", "ROUTEZ", "GATEWAYZ", "LEAFZ", "SUBSZ", "JSZ", "ACCOUNTZ", "HEALTHZ", "STATSZ", "IDZ", "EXPVARZ", "IPQUEUESZ", "RAFTZ"} {
		out = append(out, "$SYS.REQ.SERVER.PING."+z, "$SYS.REQ.SERVER.*."+z)
	}
	for _, z := range []string{"CONNZ", "SUBSZ", "LEAFZ", "JSZ", "INFO", "STATZ", "CONNS"} {
		out = append(out, "$SYS.REQ.ACCOUNT.*."+z)
	}
	return out
}

// checkPermissions refuses, naming the line of path, a configuration with a user, an nkey or a
// no_auth_user in the ledger's account, a system account user with rights beyond monitoring,
// and a no_auth_user with any publish right.
func checkPermissions(o *server.Options, path string) error {
	text, _ := os.ReadFile(path)
	users := map[string]userRights{}
	for _, u := range o.Users {
		users[u.Username] = userRights{name: u.Username, account: accountName(u.Account), perms: u.Permissions}
	}
	for _, u := range o.Nkeys {
		users[u.Nkey] = userRights{name: u.Nkey, account: accountName(u.Account), perms: u.Permissions}
	}
	if u, ok := users[o.NoAuthUser]; ok && u.account == Account {
		return fmt.Errorf("line %d: no_auth_user %s is a user of the account %s; %s",
			lineOf(text, "no_auth_user"), o.NoAuthUser, Account, whereUsersBelong)
	}
	for _, u := range inFileOrder(users, text) {
		switch u.account {
		case Account:
			return fmt.Errorf("line %d: user %s is in the account %s; %s", u.line, u.name, Account, whereUsersBelong)
		case o.SystemAccount:
			if s, ok := u.beyond(monitoring()); ok {
				return fmt.Errorf("line %d: user %s of the system account may publish to %s; system account users may only ask for monitoring (allow $SYS.REQ.SERVER.PING.VARZ and the like)",
					u.line, u.name, s)
			}
		}
	}
	if o.NoAuthUser != "" {
		u, ok := users[o.NoAuthUser]
		if !ok || u.publishes() {
			return fmt.Errorf("line %d: no_auth_user %s would let clients without a password publish; name a user whose permissions say publish: { deny: \">\" }, or remove no_auth_user",
				lineOf(text, "no_auth_user"), o.NoAuthUser)
		}
	}
	return nil
}

// whereUsersBelong ends the refusal of a user in the ledger's account.
const whereUsersBelong = "only wsledger's own user may be there (any user of that account can make the server write into the ledger stream, whatever its permissions): put WSTA, read-only subscribers and witnesses in the account " +
	FeedAccount + ", with jetstream: enabled, and monitoring users in the system account (see docs/operations.md, \"NATS access\")"

// inFileOrder returns the users in the order the file defines them, so a file is refused for
// its first fault, the same every time.
func inFileOrder(users map[string]userRights, text []byte) []userRights {
	out := make([]userRights, 0, len(users))
	for _, u := range users {
		u.line = lineOf(text, u.name)
		out = append(out, u)
	}
	slices.SortFunc(out, func(a, b userRights) int { return cmp.Or(a.line-b.line, strings.Compare(a.name, b.name)) })
	return out
}

func accountName(a *server.Account) string {
	if a == nil {
		return ""
	}
	return a.Name
}

// userRights is a user's publish permissions.
type userRights struct {
	name, account string
	perms         *server.Permissions
	line          int // in the configuration file
}

func (u userRights) allow() []string {
	if u.perms == nil || u.perms.Publish == nil || len(u.perms.Publish.Allow) == 0 {
		return []string{">"}
	}
	return u.perms.Publish.Allow
}

func (u userRights) deny() []string {
	if u.perms == nil || u.perms.Publish == nil {
		return nil
	}
	return u.perms.Publish.Deny
}

// beyond returns an allowed pattern that the patterns of within do not cover.
func (u userRights) beyond(within []string) (string, bool) {
	if u.perms != nil && u.perms.Response != nil {
		return "reply subjects (allow_responses)", true
	}
	for _, a := range u.allow() {
		if !coveredBy(a, within) && !coveredBy(a, u.deny()) {
			return a, true
		}
	}
	return "", false
}

// publishes reports whether the user may publish anything at all.
func (u userRights) publishes() bool {
	return u.perms == nil || u.perms.Response != nil || !coveredBy(">", u.deny())
}

func coveredBy(subject string, patterns []string) bool {
	for _, p := range patterns {
		if subsetOf(subject, p) {
			return true
		}
	}
	return false
}

// subsetOf reports whether every subject pattern a matches is matched by pattern b.
func subsetOf(a, b string) bool {
	at, bt := strings.Split(a, "."), strings.Split(b, ".")
	for i, t := range bt {
		if t == ">" {
			return len(at) > i
		}
		if i >= len(at) || at[i] == ">" {
			return false
		}
		if t != "*" && (at[i] == "*" || at[i] != t) {
			return false
		}
	}
	return len(at) == len(bt)
}

// lineOf returns the line of the configuration text that defines a user (or holds a word),
// or 0 when it cannot be found (a user from an included file).
func lineOf(text []byte, name string) int {
	q := regexp.QuoteMeta(name)
	for _, re := range []*regexp.Regexp{regexp.MustCompile(`\b(user|nkey)\s*[:=]\s*["']?` + q + `\b`), regexp.MustCompile(q)} {
		if loc := re.FindIndex(text); loc != nil {
			return 1 + strings.Count(string(text[:loc[0]]), "\n")
		}
	}
	return 0
}
