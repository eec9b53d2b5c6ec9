package natsauth

import (
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/nats-io/nats-server/v2/server"
)

// ProjectionStore is the object store of the read models' snapshots (projections/runner).
const ProjectionStore = "wsledger_projections"

// forbidden are the subjects no user of the ledger's account but the ledger's own may publish
// to: events; creating, changing, deleting or purging any stream of the account (a stream
// created or updated with a republish destination in ledger.> would write events); any
// JetStream API on the token bucket, the writer lease, the refusals and the projections' object
// store, or their key-value and object subjects; commands forwarded between the ledger's
// processes (wsledger.>); and purging an account.
func forbidden() []string {
	out := []string{
		"ledger.>",
		"$JS.API.STREAM.CREATE.*", "$JS.API.STREAM.UPDATE.*", "$JS.API.STREAM.DELETE.*",
		"$JS.API.STREAM.PURGE.*", "$JS.API.STREAM.MSG.DELETE.*", "$JS.API.STREAM.RESTORE.*",
		"$JS.API.ACCOUNT.PURGE.>",
		RefusalSubjects, "$KV." + TokenBucket + ".>", "$O." + ProjectionStore + ".>",
		"wsledger.>", "$KV." + WriterBucket + ".>",
	}
	for _, s := range []string{"KV_" + TokenBucket, RefusalStream, "OBJ_" + ProjectionStore, "KV_" + WriterBucket} {
		out = append(out, streamAPI(s)...)
	}
	return out
}

// streamAPI are the JetStream API subjects that name stream s: its own requests, direct gets
// and its consumers'.
func streamAPI(s string) []string {
	return []string{"$JS.API.STREAM.*." + s, "$JS.API.STREAM.*.*." + s, "$JS.API.DIRECT.GET." + s, "$JS.API.DIRECT.GET." + s + ".>",
		"$JS.API.CONSUMER.*." + s, "$JS.API.CONSUMER.*." + s + ".>", "$JS.API.CONSUMER.DURABLE.CREATE." + s + ".>",
		"$JS.API.CONSUMER.MSG.NEXT." + s + ".>", "$JS.API.CONSUMER.LEADER.STEPDOWN." + s + ".>"}
}

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

// checkPermissions refuses, naming the line of path, a configuration in which a user other
// than the ledger's own could write events or change the ledger's streams and buckets, a
// system account user with rights beyond monitoring, and a no_auth_user with any publish right.
func checkPermissions(o *server.Options, path string) error {
	text, _ := os.ReadFile(path)
	users := map[string]userRights{}
	for _, u := range o.Users {
		users[u.Username] = userRights{name: u.Username, account: accountName(u.Account), perms: u.Permissions}
	}
	for _, u := range o.Nkeys {
		users[u.Nkey] = userRights{name: u.Nkey, account: accountName(u.Account), perms: u.Permissions}
	}
	for _, u := range users {
		switch u.account {
		case Account:
			if s, ok := u.canPublishAny(forbidden()); ok {
				return fmt.Errorf("line %d: user %s may publish to %s; only wsledger's own user may write events or change the ledger's streams and buckets: allow it what it needs (see docs/operations.md, \"NATS access\")",
					lineOf(text, u.name), u.name, s)
			}
		case o.SystemAccount:
			if s, ok := u.beyond(monitoring()); ok {
				return fmt.Errorf("line %d: user %s of the system account may publish to %s; system account users may only ask for monitoring (allow $SYS.REQ.SERVER.PING.VARZ and the like)",
					lineOf(text, u.name), u.name, s)
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

// canPublishAny returns a subject of subjects the user may publish to: one that an allowed
// pattern reaches and no denied pattern covers. It errs on the side of saying yes.
func (u userRights) canPublishAny(subjects []string) (string, bool) {
	for _, f := range subjects {
		for _, a := range u.allow() {
			meet, ok := intersect(a, f)
			if ok && !coveredBy(meet, u.deny()) {
				return meet, true
			}
		}
	}
	return "", false
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

// intersect returns the pattern of the subjects both a and b match, if there are any.
func intersect(a, b string) (string, bool) {
	at, bt := strings.Split(a, "."), strings.Split(b, ".")
	var out []string
	for i := 0; ; i++ {
		switch {
		case i == len(at) && i == len(bt):
			return strings.Join(out, "."), true
		case i < len(at) && at[i] == ">":
			if i == len(bt) {
				return "", false
			}
			return strings.Join(append(out, bt[i:]...), "."), true
		case i < len(bt) && bt[i] == ">":
			if i == len(at) {
				return "", false
			}
			return strings.Join(append(out, at[i:]...), "."), true
		case i == len(at) || i == len(bt):
			return "", false
		case at[i] == "*":
			out = append(out, bt[i])
		case bt[i] == "*" || at[i] == bt[i]:
			out = append(out, at[i])
		default:
			return "", false
		}
	}
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
