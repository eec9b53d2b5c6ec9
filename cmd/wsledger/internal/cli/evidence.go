package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/checkpoints"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/keys"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/store"
	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/events/evidence"
	"github.com/wsledger/wsledger/projections/runner"
	"github.com/wsledger/wsledger/projections/trees"
)

// signingFlags say where the ledger's signing key is and what the ledger is called.
type signingFlags struct {
	fs               *flag.FlagSet
	keyFile, name    string
	every            int64
	interval         time.Duration
	witnessKeys      listFlag
	checkpointTiming bool
}

// listFlag is a flag that may be given several times.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func addSigningFlags(fs *flag.FlagSet, serving bool) *signingFlags {
	f := &signingFlags{fs: fs, checkpointTiming: serving}
	fs.StringVar(&f.keyFile, "signing-key", "", "the ledger's signing key `file` (default DATA-keys/"+keys.SigningKeyFile+" beside the data directory, ./wsledger-keys/ with --nats); created on first use")
	fs.StringVar(&f.name, "ledger-name", keys.DefaultLedgerName, "the ledger's `name`: the signing key's name and the first part of every checkpoint's origin")
	if serving {
		fs.Int64Var(&f.every, "checkpoint-every", checkpoints.DefaultEvery, "sign a provider's checkpoint after `n` new events")
		fs.DurationVar(&f.interval, "checkpoint-interval", checkpoints.DefaultInterval, "or when new events have waited this `long`")
		fs.Var(&f.witnessKeys, "witness-key", "a witness's verifier `key` (text or @FILE) whose cosignatures are checked and kept; repeat for several witnesses")
	}
	return f
}

// path returns the signing key's file.
func (f *signingFlags) path(lf *ledgerFlags) string {
	if f.keyFile != "" {
		return f.keyFile
	}
	data := lf.data
	if lf.nats != "" {
		data = ""
	}
	return filepath.Join(keys.Dir(data), keys.SigningKeyFile)
}

// load reads the signing key, creating it (and saying so on stderr) when create is set.
func (f *signingFlags) load(env Env, lf *ledgerFlags, create bool) (string, error) {
	data := lf.data
	if lf.nats != "" {
		data = ""
	}
	return keys.LoadSigning(f.path(lf), data, f.name, create, env.Stderr)
}

// witnesses returns the witnesses' verifier keys.
func (f *signingFlags) witnesses() ([]string, error) {
	var out []string
	for _, w := range f.witnessKeys {
		k, err := keys.VerifierKey(w)
		if err != nil {
			return nil, fmt.Errorf("--witness-key: %w", err)
		}
		out = append(out, k)
	}
	return out, nil
}

// evidenceParts are what serve runs for tamper evidence: every provider's tree, kept from the
// log; the checkpoint store; the signer, which signs while this process is the writer; and the
// intake of witnesses' cosignatures.
type evidenceParts struct {
	trees     *trees.Trees
	runner    *runner.Runner
	store     *checkpoints.Store
	signer    *checkpoints.Signer
	witnesses []string
	logger    *slog.Logger
	// built is set once the trees hold what the ledger held at start and were checked against
	// the stored checkpoints: nothing is signed before, so that a ledger without a stored
	// checkpoint (new, upgraded, or its checkpoints lost) never signs a half-built tree.
	built atomic.Bool
	// released is closed once the check let appends through (ReleaseAppends).
	released chan struct{}
}

func newEvidence(ctx context.Context, st *store.Store, skey string, f *signingFlags, writing func() bool, publish checkpoints.Publisher, logger *slog.Logger) (*evidenceParts, error) {
	cs, err := checkpoints.OpenStore(ctx, st.JetStream(), replicasOf(st))
	if err != nil {
		return nil, err
	}
	witnesses, err := f.witnesses()
	if err != nil {
		return nil, err
	}
	ts := trees.New()
	e := &evidenceParts{trees: ts, store: cs, witnesses: witnesses, logger: logger, released: make(chan struct{}),
		runner: ts.Runner(st, st.JetStream(), runner.Options{Replicas: replicasOf(st), Saves: writing, Logger: logger})}
	e.signer = &checkpoints.Signer{Ledger: f.name, Key: skey, Trees: ts, Store: cs, Sync: st.Sync, Publish: publish,
		Every: f.every, Interval: f.interval, Writing: func() bool { return e.built.Load() && writing() }, Logger: logger,
		Damaged: func(provider string, err error) { st.ReportDamage(err.Error()) }}
	return e, nil
}

// catchUp waits, 5 seconds at most, until the trees hold every event the log held when called.
func (e *evidenceParts) catchUp(ctx context.Context, log interface {
	LastSequence(context.Context) (uint64, error)
}) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	last, err := log.LastSequence(ctx)
	if err != nil {
		return err
	}
	return e.runner.WaitFor(ctx, last)
}

// runTrees keeps the trees until ctx ends; once they hold what the ledger held at start
// (startSeq), it checks every provider against its last signed checkpoint, so that a store that
// lost or changed what a checkpoint covers refuses appends before it signs anything. serve holds
// appends until then (HoldAppends); a check the store could not answer is tried again.
func (e *evidenceParts) runTrees(ctx context.Context, log interface {
	Providers(context.Context) ([]string, error)
	Damage() error
	ReleaseAppends()
}, startSeq uint64) error {
	done := make(chan error, 1)
	go func() { done <- e.runner.Run(ctx) }()
	if err := e.runner.WaitFor(ctx, startSeq); err != nil {
		return <-done
	}
	for {
		providers, err := log.Providers(ctx)
		if err == nil {
			err = e.signer.Check(ctx, providers)
		}
		if err == nil {
			break
		}
		e.logger.Error("a provider's history does not extend its last signed checkpoint, or the check could not finish", "err", err)
		if log.Damage() != nil && !isHold(log.Damage()) {
			break // damage found: appends stay refused
		}
		select {
		case <-ctx.Done():
			return <-done
		case <-time.After(time.Second):
		}
	}
	log.ReleaseAppends()
	close(e.released)
	e.built.Store(true)
	return <-done
}

// isHold reports whether an append refusal is serve's hold at start rather than damage.
func isHold(err error) bool { return events.ErrorCode(err) == events.Unavailable }

// runSigner signs checkpoints until ctx ends, then signs a last one for every provider that has
// events its latest does not cover, once the trees hold what the ledger holds (or five seconds
// have passed).
func (e *evidenceParts) runSigner(ctx context.Context, lastSequence func(context.Context) (uint64, error)) error {
	e.signer.BeforeFinal = func(final context.Context) {
		if last, err := lastSequence(final); err == nil {
			wctx, cancel := context.WithTimeout(final, 5*time.Second)
			_ = e.runner.WaitFor(wctx, last)
			cancel()
		}
	}
	return e.signer.Run(ctx)
}

// intake takes witnesses' cosignatures, sent as requests on witness.<name>.<provider>: each
// must verify with a --witness-key and be over a checkpoint this ledger signed; it is stored
// beside it and answered "ok".
func (e *evidenceParts) intake(ctx context.Context, nc *nats.Conn, ledgerKey string) (*nats.Subscription, error) {
	return nc.QueueSubscribe(checkpoints.WitnessSubjects, "wsledger-cosignatures", func(m *nats.Msg) {
		reply := "ok"
		if err := e.takeCosignature(ctx, m.Subject, m.Data, ledgerKey); err != nil {
			reply = "refused: " + err.Error()
			e.logger.Warn("a witness's cosignature was refused", "subject", m.Subject, "err", err)
		}
		_ = m.Respond([]byte(reply))
	})
}

func (e *evidenceParts) takeCosignature(ctx context.Context, subject string, note []byte, ledgerKey string) error {
	parts := strings.Split(subject, ".")
	if len(parts) != 3 {
		return errors.New("the subject must be witness.<name>.<provider>")
	}
	name, provider := parts[1], parts[2]
	var key string
	for _, w := range e.witnesses {
		if keys.LedgerName(w) == name {
			key = w
		}
	}
	if key == "" {
		return fmt.Errorf("witness %s is not known to this ledger (serve --witness-key)", name)
	}
	c, err := evidence.Open(note, ledgerKey, key)
	if err != nil {
		return err
	}
	if _, ok := c.Cosignatures[name]; !ok {
		return fmt.Errorf("the note carries no cosignature of witness %s that verifies", name)
	}
	if got, err := c.Provider(keys.LedgerName(ledgerKey)); err != nil || got != provider {
		return fmt.Errorf("the checkpoint is not one of provider %s", provider)
	}
	latest, ok, err := e.store.Latest(ctx, provider)
	if err != nil || !ok {
		return fmt.Errorf("no stored checkpoint of %s to cosign: %v", provider, err)
	}
	stored, err := evidence.Open(latest, ledgerKey, e.witnesses...)
	if err != nil {
		return err
	}
	if stored.Size != c.Size || stored.Root != c.Root {
		return fmt.Errorf("the cosigned checkpoint (size %d) is not the latest stored (size %d)", c.Size, stored.Size)
	}
	merged, err := evidence.WithSignatureLines(latest, evidence.CosignatureLines(note, name))
	if err != nil {
		return err
	}
	return e.store.Put(ctx, provider, merged)
}
