package cli

import (
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/store"
	"github.com/wsledger/wsledger/events/natslog"
)

// errUsageShown is a flag error the flag package has already printed with the usage.
var errUsageShown = &usageError{}

// newFlags returns a command's flag set; its usage names the command and its arguments.
func newFlags(env Env, name, args, short string) *flag.FlagSet {
	fs := flag.NewFlagSet("wsledger "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "usage: wsledger %s %s\n\n%s.\n", name, args, capitalise(short))
		n := 0
		fs.VisitAll(func(*flag.Flag) { n++ })
		if n > 0 {
			fmt.Fprint(env.Stderr, "\nFlags:\n")
			fs.PrintDefaults()
		}
	}
	return fs
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// parse parses args; positional arguments are refused unless the command takes them.
func parse(fs *flag.FlagSet, args []string, positional bool) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsageShown
	}
	if !positional && fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	return nil
}

// ledgerFlags say where the ledger is: an embedded store (--data) or a NATS deployment (--nats).
type ledgerFlags struct {
	fs                      *flag.FlagSet
	data, nats, creds, sync string
}

func addLedgerFlags(fs *flag.FlagSet, env Env) *ledgerFlags {
	l := &ledgerFlags{fs: fs}
	def := env.Getenv("WSLEDGER_DATA")
	if def == "" {
		def = "./wsledger-data"
	}
	fs.StringVar(&l.data, "data", def, "embedded store `directory` ($WSLEDGER_DATA)")
	fs.StringVar(&l.nats, "nats", "", "use the NATS deployment at `URL` instead of an embedded store")
	fs.StringVar(&l.creds, "creds", "", "NATS credentials `file` for --nats")
	fs.StringVar(&l.sync, "sync", string(natslog.SyncDefault), "embedded durability `mode`: default (fsync every 2 minutes) or always (fsync before every acknowledgement)")
	return l
}

func (l *ledgerFlags) set(name string) bool {
	set := false
	l.fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// options turns the flags into store options.
func (l *ledgerFlags) options() (store.Options, error) {
	sync := natslog.Sync(l.sync)
	if sync != natslog.SyncDefault && sync != natslog.SyncAlways {
		return store.Options{}, usagef("--sync must be default or always, not %q", l.sync)
	}
	if l.nats != "" {
		if l.set("data") {
			return store.Options{}, usagef("give --data or --nats, not both")
		}
		return store.Options{URL: l.nats, Creds: l.creds, Sync: sync}, nil
	}
	if l.creds != "" {
		return store.Options{}, usagef("--creds applies to --nats only")
	}
	if l.data == "" {
		return store.Options{}, usagef("--data must name a directory")
	}
	return store.Options{DataDir: l.data, Sync: sync}, nil
}

// remoteFlags point a command at a running wsledger instead of the store.
type remoteFlags struct {
	server, token string
}

func addRemoteFlags(fs *flag.FlagSet, env Env) *remoteFlags {
	r := &remoteFlags{}
	fs.StringVar(&r.server, "server", env.Getenv("WSLEDGER_SERVER"), "talk to the wsledger serving at `URL` ($WSLEDGER_SERVER) instead of opening the store")
	fs.StringVar(&r.token, "token", env.Getenv("WSLEDGER_TOKEN"), "API `token` for --server ($WSLEDGER_TOKEN)")
	return r
}

// client returns the HTTP client of --server, or nil when the store is to be opened.
func (r *remoteFlags) client() (*client, error) {
	if r.server == "" {
		return nil, nil
	}
	if r.token == "" {
		return nil, usagef("--server needs a token: --token or $WSLEDGER_TOKEN")
	}
	return newClient(r.server, r.token)
}
