package cli

import (
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/store"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/tlsconf"
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
	replicas                int
	natsWait                time.Duration
	natsTLS                 tlsFiles
}

func addLedgerFlags(fs *flag.FlagSet, env Env) *ledgerFlags {
	l := &ledgerFlags{fs: fs}
	def := env.Getenv("WSLEDGER_DATA")
	if def == "" {
		def = "./wsledger-data"
	}
	fs.StringVar(&l.data, "data", def, "embedded store `directory` ($WSLEDGER_DATA)")
	fs.StringVar(&l.nats, "nats", "", "use the NATS deployment at `URL` instead of an embedded store")
	fs.StringVar(&l.creds, "creds", "", "NATS credentials `file` for --nats: a JWT .creds file, an nkey seed, or user:password on its first line")
	fs.IntVar(&l.replicas, "replicas", 0, "replicas of the ledger's streams with --nats (`n`; default: the existing stream's, else 3 on a cluster and 1 on a single server)")
	fs.DurationVar(&l.natsWait, "nats-wait", natslog.DefaultWait, "with --nats, how long to wait for servers that are starting (`duration`)")
	l.natsTLS = tlsFiles{certFlag: "--nats-cert", keyFlag: "--nats-key", caFlag: "--nats-ca"}
	fs.StringVar(&l.natsTLS.ca, "nats-ca", "", "trust the NATS servers' certificates signed by the authorities in PEM `file` (default: the system's); implies TLS")
	fs.StringVar(&l.natsTLS.cert, "nats-cert", "", "client certificate PEM `file` for NATS servers that require one (with --nats-key); implies TLS")
	fs.StringVar(&l.natsTLS.key, "nats-key", "", "private key PEM `file` of --nats-cert")
	fs.StringVar(&l.sync, "sync", string(natslog.SyncDefault), "embedded durability `mode`: default (fsync every 2 minutes) or always (fsync before every acknowledgement)")
	return l
}

func (l *ledgerFlags) set(name string) bool { return isSet(l.fs, name) }

// isSet says whether the flag was given on the command line.
func isSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
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
		tc, err := l.natsTLS.client()
		if err != nil {
			return store.Options{}, err
		}
		if l.replicas < 0 || l.replicas > 5 {
			return store.Options{}, usagef("--replicas must be between 1 and 5, not %d", l.replicas)
		}
		return store.Options{URL: l.nats, Creds: l.creds, Sync: sync, TLS: tc, Replicas: l.replicas, Wait: l.natsWait}, nil
	}
	if l.creds != "" {
		return store.Options{}, usagef("--creds applies to --nats only")
	}
	if l.set("replicas") || l.set("nats-wait") {
		return store.Options{}, usagef("--replicas and --nats-wait apply to --nats only")
	}
	if l.natsTLS.any() {
		return store.Options{}, usagef("--nats-ca, --nats-cert and --nats-key apply to --nats only")
	}
	if l.data == "" {
		return store.Options{}, usagef("--data must name a directory")
	}
	return store.Options{DataDir: l.data, Sync: sync, Command: strings.TrimPrefix(l.fs.Name(), "wsledger ")}, nil
}

// explain adds what to do to a failure to reach the NATS servers over TLS.
func (l *ledgerFlags) explain(err error) error {
	if l.nats == "" {
		return err
	}
	return tlsconf.Explain(err, "--nats-ca", "--nats-cert and --nats-key")
}

// remoteFlags point a command at a running wsledger instead of the store.
type remoteFlags struct {
	fs                *flag.FlagSet
	server, token, ca string
}

func addRemoteFlags(fs *flag.FlagSet, env Env) *remoteFlags {
	r := &remoteFlags{fs: fs}
	fs.StringVar(&r.server, "server", env.Getenv("WSLEDGER_SERVER"), "talk to the wsledger serving at `URL` ($WSLEDGER_SERVER) instead of opening the store")
	fs.StringVar(&r.token, "token", env.Getenv("WSLEDGER_TOKEN"), "API `token` for --server ($WSLEDGER_TOKEN)")
	fs.StringVar(&r.ca, "ca", env.Getenv("WSLEDGER_CA"), "trust an https --server's certificate signed by the authorities in PEM `file` ($WSLEDGER_CA; default: the system's)")
	return r
}

// client returns the HTTP client of --server, or of the wsledger serve that holds the data
// directory of lf, or nil when the store is to be opened.
func (r *remoteFlags) client(lf *ledgerFlags) (*client, error) {
	if r.server == "" {
		if isSet(r.fs, "ca") {
			return nil, usagef("--ca applies to --server only")
		}
		return lf.owner()
	}
	if r.token == "" {
		return nil, usagef("--server needs a token: --token or $WSLEDGER_TOKEN")
	}
	tc, err := tlsFiles{ca: r.ca, caFlag: "--ca"}.client()
	if err != nil {
		return nil, err
	}
	return newClient(r.server, r.token, tc)
}

// owner returns a client of the wsledger serve that holds the data directory, authenticated
// as the store's owner with the secret of its lock file, or nil when no server holds it.
func (l *ledgerFlags) owner() (*client, error) {
	if l == nil || l.nats != "" || l.data == "" {
		return nil, nil
	}
	h, held := store.Held(l.data)
	if !held || h.URL == "" || h.Secret == "" {
		return nil, nil
	}
	tc, err := tlsFiles{ca: h.CA, caFlag: "the server's --tls-cert"}.client()
	if err != nil {
		return nil, err
	}
	return newClient(h.URL, h.Secret, tc)
}
