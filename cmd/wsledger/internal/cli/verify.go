package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/checkpoints"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/keys"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/verification"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/witness"
	"github.com/wsledger/wsledger/events/evidence"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/natsauth"
	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/projections/wsta"
)

func runVerify(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "verify", "[--provider P] [--verifier-key KEY] [--checkpoint FILE] [--witness DIR] [--digest FILE] [flags]",
		"check the whole store: no stored sequence lost, no event of any provider altered, removed, inserted or reordered, every provider's tree extending every checkpoint the ledger signed (with its verifier key) and, when given, a checkpoint or digest kept outside; exit status 1 names what was found")
	provider := fs.String("provider", "", "verify only provider `P` (default every provider, and the store itself)")
	digestFile := fs.String("digest", "", "also check that the history extends the digest in `FILE` (from wsledger digest)")
	checkpointFile := fs.String("checkpoint", "", "also check that the history extends the signed checkpoint in `FILE` (kept by an auditor or a witness)")
	witnessDir := fs.String("witness", "", "also compare every event with the leaf hashes the witness kept in `DIR`, naming the first that differs")
	vkeyArg := fs.String("verifier-key", env.Getenv("WSLEDGER_VERIFIER_KEY"), "the ledger's verifier `key` (text or @FILE; $WSLEDGER_VERIFIER_KEY; default the verifier.key beside the data directory's signing key, when there is one)")
	format := fs.String("format", "table", "output `format`: table or json")
	lf := addLedgerFlags(fs, env)
	rf := addRemoteFlags(fs, env)
	if err := parse(fs, args, false); err != nil {
		return err
	}
	if *format != "table" && *format != "json" {
		return usagef("--format must be table or json")
	}
	anchor, err := readDigest(*digestFile, provider)
	if err != nil {
		return err
	}
	var held []byte
	if *checkpointFile != "" {
		if held, err = os.ReadFile(*checkpointFile); err != nil {
			return err
		}
	}
	o := verification.Options{Provider: *provider, Digest: anchor, Held: held, HeldFrom: "the checkpoint in " + *checkpointFile}
	if *witnessDir != "" {
		if rf.server != "" {
			return usagef("--witness reads the store itself: give --data or --nats, not --server")
		}
		dir := *witnessDir
		o.WitnessLeaves = func(provider string) ([]evidence.Hash, error) { return witness.Leaves(dir, provider) }
	}
	res, err := verifyStore(ctx, env, lf, rf, o, *vkeyArg)
	if err != nil {
		return err
	}
	if *format == "json" {
		if err := writeJSON(env.Stdout, res.Reports); err != nil {
			return err
		}
	}
	if res.Unchecked {
		fmt.Fprintln(env.Stderr, "the signed checkpoints were not checked: give --verifier-key (wsledger verifier-key prints it)")
	}
	intact := true
	for _, r := range res.Reports {
		if r.Tamper == nil && r.Events == 0 {
			intact = false
			fmt.Fprintf(env.Stderr, "provider %s has no events\n", r.Provider)
			continue
		}
		if r.Tamper != nil {
			intact = false
			what := "the store"
			if r.Provider != "" {
				what = "provider " + r.Provider
			}
			fmt.Fprintf(env.Stderr, "%s is NOT intact: %s\n", what, describeTamper(r.Tamper))
		} else if *format == "table" {
			fmt.Fprintf(env.Stdout, "provider %s: intact, %d events, head at position %d (sequence %d), hash %s%s\n",
				r.Provider, r.Events, r.Head.Position, r.Head.Sequence, r.Head.Hash, extends(r))
			for _, rec := range r.Recoveries {
				fmt.Fprintf(env.Stdout, "provider %s: recovered at position %d from behind the signed checkpoint of size %d (root %s), holding %d events: %s\n",
					r.Provider, rec.Position, rec.CheckpointSize, rec.CheckpointRoot, rec.HistorySize, rec.Reason)
			}
			if anchor != nil && anchor.Provider == r.Provider {
				fmt.Fprintf(env.Stdout, "provider %s: the history extends the digest at position %d (hash %s)\n",
					r.Provider, anchor.Position, anchor.Hash)
			}
		}
	}
	if !intact {
		return errFailed
	}
	if len(res.Reports) == 0 && *format == "table" {
		fmt.Fprintln(env.Stdout, "the ledger has no events")
	}
	return nil
}

// extends says which signed checkpoint a history was checked against.
func extends(r events.Report) string {
	if r.Checkpoint == 0 {
		return ""
	}
	s := fmt.Sprintf("; extends the signed checkpoint of size %d", r.Checkpoint)
	if r.Cosigned > 0 {
		s += fmt.Sprintf(" (cosigned by %d witnesses)", r.Cosigned)
	}
	return s
}

// describeTamper says where a history is damaged: the kind, the sequence, the event and its
// position when one is named (a history that does not extend a digest names none) and what
// was found.
func describeTamper(t *events.Tamper) string {
	where := fmt.Sprintf("%s at sequence %d", t.Kind, t.Sequence)
	if t.EventID != "" {
		where += ", event " + t.EventID
	}
	if t.Position != 0 {
		where += fmt.Sprintf(", position %d", t.Position)
	}
	return where + ": " + t.Message
}

// readDigest reads a digest file; the digest names the provider to verify.
func readDigest(path string, provider *string) (*events.Digest, error) {
	if path == "" {
		return nil, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var d events.Digest
	var bad *events.Error
	if err := json.Unmarshal(data, &d); errors.As(err, &bad) {
		return nil, usagef("%s is not a digest: %s", path, bad.Message)
	} else if err != nil || d.Provider == "" || d.Position == 0 || len(d.Hash) != 64 {
		return nil, usagef("%s is not a digest written by wsledger digest", path)
	}
	if *provider != "" && *provider != d.Provider {
		return nil, usagef("the digest is of provider %s, not %s", d.Provider, *provider)
	}
	*provider = d.Provider
	return &d, nil
}

// verifyStore runs the whole-store check over HTTP or against the store.
func verifyStore(ctx context.Context, env Env, lf *ledgerFlags, rf *remoteFlags, o verification.Options, vkeyArg string) (verification.Result, error) {
	c, err := rf.client(lf)
	if err != nil {
		return verification.Result{}, err
	}
	if c != nil {
		if o.WitnessLeaves != nil {
			return verification.Result{}, usagef("--witness reads the store itself, which serve holds: run it where serve does not, or stop serve")
		}
		if vkeyArg != "" { // the server checks with the key its caller trusts
			if o.LedgerKey, err = keys.VerifierKey(vkeyArg); err != nil {
				return verification.Result{}, err
			}
		}
		return c.verify(ctx, o)
	}
	if vkeyArg == "" {
		if path := filepath.Join(keys.Dir(dataOf(lf)), keys.VerifierKeyFile); fileExists(path) {
			vkeyArg = "@" + path
		}
	}
	if vkeyArg != "" {
		if o.LedgerKey, err = keys.VerifierKey(vkeyArg); err != nil {
			return verification.Result{}, err
		}
	}
	st, err := openExisting(ctx, lf)
	if err != nil {
		return verification.Result{}, err
	}
	defer st.Close()
	cps, err := checkpoints.OpenStore(ctx, st.JetStream(), replicasOf(st))
	if err != nil {
		return verification.Result{}, err
	}
	p := newProgress(env)
	defer p.done()
	p.update("verifying the store")
	return verification.Run(ctx, st, cps, o)
}

func (c *client) verify(ctx context.Context, o verification.Options) (verification.Result, error) {
	q := url.Values{}
	if o.Provider != "" {
		q.Set("provider", o.Provider)
	}
	if o.Digest != nil {
		q.Set("position", strconv.FormatUint(o.Digest.Position, 10))
		q.Set("hash", o.Digest.Hash)
	}
	if len(o.Held) > 0 {
		q.Set("checkpoint", string(o.Held))
	}
	if o.LedgerKey != "" {
		q.Set("verifier_key", o.LedgerKey)
	}
	if o.Provider == "" && len(o.Held) == 0 {
		var all verification.Result
		return all, c.get(ctx, "/v1/verify", q, &all)
	}
	var r events.Report
	if err := c.get(ctx, "/v1/verify", q, &r); err != nil {
		return verification.Result{}, err
	}
	return verification.Result{Reports: []events.Report{r}}, nil
}

// dataOf returns the data directory the flags name, or "" for a NATS deployment.
func dataOf(lf *ledgerFlags) string {
	if lf.nats != "" {
		return ""
	}
	return lf.data
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func runDigest(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "digest", "--provider P [flags]",
		"export a provider's digest (position, sequence and head hash) as JSON, to publish or keep and later check with verify --digest")
	provider := fs.String("provider", "", "the `provider` (required)")
	publish := fs.Bool("publish", false, "also publish the digest to WSTA (wsta.<provider>.digest)")
	lf := addLedgerFlags(fs, env)
	rf := addRemoteFlags(fs, env)
	if err := parse(fs, args, false); err != nil {
		return err
	}
	if *provider == "" {
		return usagef("--provider is required")
	}
	c, err := rf.client(lf)
	if err != nil {
		return err
	}
	var d events.Digest
	switch {
	case c != nil && *publish:
		err = c.post(ctx, "/v1/digest", url.Values{"provider": {*provider}}, &d)
	case c != nil:
		err = c.get(ctx, "/v1/digest", url.Values{"provider": {*provider}}, &d)
	default:
		d, err = localDigest(ctx, lf, *provider, *publish)
	}
	if err != nil {
		return err
	}
	return writeJSON(env.Stdout, d)
}

func localDigest(ctx context.Context, lf *ledgerFlags, provider string, publish bool) (events.Digest, error) {
	st, err := openExisting(ctx, lf)
	if err != nil {
		return events.Digest{}, err
	}
	defer st.Close()
	head, err := st.Head(ctx, provider)
	if err != nil {
		return events.Digest{}, err
	}
	if head.Position == 0 {
		return events.Digest{}, fmt.Errorf("provider %s has no events", provider)
	}
	if !publish {
		return events.ExportDigest(ctx, st, provider, nowUTC())
	}
	feed, err := wsta.New(ctx, st, st.FeedJetStream(), wsta.Options{Stream: natsauth.FeedStream, Replicas: replicasOf(st)})
	if err != nil {
		return events.Digest{}, err
	}
	return feed.PublishDigest(ctx, provider)
}
