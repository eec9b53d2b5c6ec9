package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/keys"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/witness"
	"github.com/wsledger/wsledger/events/natslog"
)

func runWitness(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "witness", "--nats URL --creds FILE --dir DIR --key FILE --name NAME --verifier-key KEY [--serve ADDR] | --clear PROVIDER --dir DIR",
		"witness the ledger's checkpoints on the WSTA feed: check each, cosign it and send the cosignature back; refuse, keep the evidence and alarm when one does not extend what was checked before")
	url := fs.String("nats", "", "the NATS server of the WSTA feed, at `URL`")
	creds := fs.String("creds", "", "NATS credentials `file` of the witness's user: a JWT .creds file, an nkey seed, or user:password on its first line")
	dir := fs.String("dir", "", "the witness's own `directory`: the leaf hashes, checkpoints and evidence it keeps (required)")
	keyFile := fs.String("key", "", "the witness's Ed25519 key `file`, created on first use (required)")
	name := fs.String("name", "", "the witness's `name`: its key's, and its consumer's and cosignatures' subjects' (required)")
	vkeyArg := fs.String("verifier-key", "", "the ledger's verifier `key` (text or @FILE; wsledger verifier-key prints it)")
	serveAddr := fs.String("serve", "", "keep running after an alarm, and serve Prometheus metrics at `host:port`/metrics")
	clear := fs.String("clear", "", "lift the alarm of `provider` once a person has looked at its evidence (with --dir; the witness must be stopped)")
	natsTLS := tlsFiles{certFlag: "--nats-cert", keyFlag: "--nats-key", caFlag: "--nats-ca"}
	fs.StringVar(&natsTLS.ca, "nats-ca", "", "trust the NATS servers' certificates signed by the authorities in PEM `file`; implies TLS")
	fs.StringVar(&natsTLS.cert, "nats-cert", "", "client certificate PEM `file` for NATS servers that require one (with --nats-key)")
	fs.StringVar(&natsTLS.key, "nats-key", "", "private key PEM `file` of --nats-cert")
	if err := parse(fs, args, false); err != nil {
		return err
	}
	if *dir == "" {
		return usagef("--dir is required")
	}
	if *clear != "" {
		if *url != "" || *serveAddr != "" {
			return usagef("--clear runs alone, with --dir, while the witness is stopped")
		}
		done, err := witness.Clear(*dir, *clear)
		if err != nil {
			return err
		}
		fmt.Fprint(env.Stdout, done)
		return nil
	}
	switch {
	case *url == "":
		return usagef("--nats is required")
	case *keyFile == "":
		return usagef("--key is required")
	case *name == "":
		return usagef("--name is required")
	}
	vkey, err := keys.VerifierKey(*vkeyArg)
	if err != nil {
		return fmt.Errorf("--verifier-key: %w", err)
	}
	skey, wkey, err := keys.LoadWitness(*keyFile, *name, env.Stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "witness %s; its verifier key, for the ledger's serve --witness-key, on stdout\n", *name)
	fmt.Fprintln(env.Stdout, wkey)

	tc, err := natsTLS.client()
	if err != nil {
		return err
	}
	opts := []nats.Option{nats.Name("wsledger witness " + *name), nats.CustomInboxPrefix(witness.InboxPrefix(*name))}
	if tc != nil {
		opts = append(opts, nats.Secure(tc))
	}
	conn, err := natslog.Connect(natslog.Options{URL: *url, Creds: *creds, ConnectOptions: opts})
	if err != nil {
		return err
	}
	defer conn.Close()

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger := slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	o := witness.Options{Dir: *dir, Key: skey, LedgerKey: vkey, Conn: conn.Conn, Serve: *serveAddr != "", Logger: logger}
	if *serveAddr != "" {
		o.Metrics = witness.NewMetrics()
		ln, err := net.Listen("tcp", *serveAddr)
		if err != nil {
			return err
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", o.Metrics.Handler())
		hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		go hs.Serve(ln)
		defer hs.Close()
		fmt.Fprintf(env.Stderr, "witness %s metrics at http://%s/metrics\n", *name, ln.Addr())
	}
	var alarm *witness.AlarmError
	if err := witness.Run(ctx, o); errors.As(err, &alarm) {
		fmt.Fprintf(env.Stderr, "wsledger witness: ALARM: %s\n", alarm.Message)
		return errFailed
	} else if err != nil {
		return err
	}
	return nil
}
