package cli

import (
	"context"
	"fmt"
	"net/url"
	"strconv"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/checkpoints"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/keys"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/natsauth"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/store"
	"github.com/wsledger/wsledger/events/evidence"
	"github.com/wsledger/wsledger/projections/wsta"
)

func runVerifierKey(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "verifier-key", "[--signing-key FILE] [flags]",
		"print the ledger's verifier key (name+hash+base64key), which auditors and witnesses check its checkpoints with")
	sf := addSigningFlags(fs, false)
	lf := addLedgerFlags(fs, env)
	if err := parse(fs, args, false); err != nil {
		return err
	}
	skey, err := sf.load(env, lf, false)
	if err != nil {
		return err
	}
	vkey, err := evidence.VerifierKey(skey)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, vkey)
	return nil
}

func runCheckpoint(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "checkpoint", "--provider P [flags]",
		"print a provider's latest signed checkpoint (origin, size, base64 root, then the ledger's signature and any witnesses'), signing a new one first when the provider has events the latest does not cover")
	provider := fs.String("provider", "", "the `provider` (required)")
	sf := addSigningFlags(fs, false)
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
	if c != nil {
		// The serving ledger signs the provider's tree first when its latest checkpoint lags.
		var info checkpoints.Info
		if err := c.get(ctx, "/v1/checkpoints", url.Values{"provider": {*provider}}, &info); err != nil {
			return err
		}
		fmt.Fprint(env.Stdout, info.Checkpoint)
		return nil
	}
	skey, err := sf.load(env, lf, true)
	if err != nil {
		return err
	}
	st, err := openExisting(ctx, lf)
	if err != nil {
		return err
	}
	defer st.Close()
	note, err := signLocally(ctx, st, skey, sf.name, *provider)
	if err != nil {
		return err
	}
	if note == nil {
		return fmt.Errorf("provider %s has no events", *provider)
	}
	fmt.Fprint(env.Stdout, string(note))
	return nil
}

// signLocally signs, in a command that runs without serve, a checkpoint of each provider whose
// events the latest does not cover (every provider when none is named), stores it and publishes
// it to WSTA, and returns the note of the last provider named.
func signLocally(ctx context.Context, st *store.Store, skey, ledger string, providers ...string) ([]byte, error) {
	ts, err := checkpoints.TreesFromLog(ctx, st, providers...)
	if err != nil {
		return nil, err
	}
	cs, err := checkpoints.OpenStore(ctx, st.JetStream(), replicasOf(st))
	if err != nil {
		return nil, err
	}
	feed, err := wsta.New(ctx, st, st.FeedJetStream(), wsta.Options{Stream: natsauth.FeedStream, Replicas: replicasOf(st)})
	if err != nil {
		return nil, err
	}
	signer := &checkpoints.Signer{Ledger: ledger, Key: skey, Trees: ts, Store: cs, Sync: st.Sync, Publish: feed,
		Damaged: func(_ string, err error) { st.ReportDamage(err.Error()) }}
	if err := signer.Check(ctx, ts.Providers()); err != nil {
		return nil, err
	}
	var note []byte
	for _, p := range ts.Providers() {
		if note, err = signer.Sign(ctx, p); err != nil {
			return nil, err
		}
	}
	if len(providers) == 1 && ts.Size(providers[0]) == 0 {
		return nil, nil
	}
	return note, nil
}

func runProve(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "prove", "--event ID [--size N] | --provider P --consistency --from N --to M [--verifier-key KEY] [flags]",
		"print, as JSON, the inclusion proof of an event in its provider's latest checkpoint (with --size, in its signed checkpoint of that size), or the consistency proof between two sizes of a provider's tree")
	event := fs.String("event", "", "prove that event `ID` is in its provider's latest signed checkpoint")
	size := fs.String("size", "", "with --event: prove it is in the provider's signed checkpoint of size `N` (one you hold) instead of the latest")
	provider := fs.String("provider", "", "with --consistency: the `provider`")
	consistency := fs.Bool("consistency", false, "prove that the provider's tree of size --to extends its tree of size --from")
	from := fs.Int64("from", 0, "with --consistency: the older tree `size`")
	to := fs.Int64("to", 0, "with --consistency: the newer tree `size`")
	vkeyArg := fs.String("verifier-key", env.Getenv("WSLEDGER_VERIFIER_KEY"), "the ledger's verifier `key` (text or @FILE; $WSLEDGER_VERIFIER_KEY): required without --server, and with it the proof is checked before it is printed")
	lf := addLedgerFlags(fs, env)
	rf := addRemoteFlags(fs, env)
	if err := parse(fs, args, false); err != nil {
		return err
	}
	if (*event == "") == !*consistency || (*consistency && (*provider == "" || *from == 0 || *to == 0)) {
		return usagef("give --event ID, or --provider P --consistency --from N --to M")
	}
	sized := isSet(fs, "size")
	if sized && *consistency {
		return usagef("--size applies to --event; a consistency proof takes --from and --to")
	}
	var vkey string
	if *vkeyArg != "" {
		var err error
		if vkey, err = keys.VerifierKey(*vkeyArg); err != nil {
			return err
		}
	}
	c, err := rf.client(lf)
	if err != nil {
		return err
	}
	if c == nil && vkey == "" {
		return usagef("--verifier-key is required when the store is opened: the stored checkpoint is checked with it")
	}
	if *consistency {
		var p checkpoints.ConsistencyProof
		if c != nil {
			q := url.Values{"provider": {*provider}, "from": {strconv.FormatInt(*from, 10)}, "to": {strconv.FormatInt(*to, 10)}}
			err = c.get(ctx, "/v1/proofs", q, &p)
		} else {
			p, err = localConsistency(ctx, lf, *provider, *from, *to)
		}
		if err != nil {
			return err
		}
		return writeJSON(env.Stdout, p)
	}
	var p checkpoints.InclusionProof
	if c != nil {
		q := url.Values{"event": {*event}}
		if sized {
			q.Set("size", *size)
		}
		err = c.get(ctx, "/v1/proofs", q, &p)
	} else {
		p, err = localInclusion(ctx, lf, *event, vkey, sized, *size)
	}
	if err != nil {
		return err
	}
	if vkey != "" {
		if err := checkInclusion(p, vkey); err != nil {
			return err
		}
	}
	return writeJSON(env.Stdout, p)
}

// localInclusion answers prove --event from the store as GET /v1/proofs answers it: in the
// checkpoint of size sizeText when sized, in the latest otherwise.
func localInclusion(ctx context.Context, lf *ledgerFlags, event, vkey string, sized bool, sizeText string) (checkpoints.InclusionProof, error) {
	st, err := openExisting(ctx, lf)
	if err != nil {
		return checkpoints.InclusionProof{}, err
	}
	defer st.Close()
	ts, err := checkpoints.TreesFromLog(ctx, st)
	if err != nil {
		return checkpoints.InclusionProof{}, err
	}
	cs, err := checkpoints.OpenStore(ctx, st.JetStream(), replicasOf(st))
	if err != nil {
		return checkpoints.InclusionProof{}, err
	}
	if sized {
		return checkpoints.ProveEventAt(ctx, ts, cs, event, vkey, sizeText)
	}
	return checkpoints.ProveEvent(ctx, ts, cs, event, vkey)
}

func localConsistency(ctx context.Context, lf *ledgerFlags, provider string, from, to int64) (checkpoints.ConsistencyProof, error) {
	st, err := openExisting(ctx, lf)
	if err != nil {
		return checkpoints.ConsistencyProof{}, err
	}
	defer st.Close()
	ts, err := checkpoints.TreesFromLog(ctx, st, provider)
	if err != nil {
		return checkpoints.ConsistencyProof{}, err
	}
	return checkpoints.ProveConsistency(ts, provider, from, to)
}

// checkInclusion checks a proof as an auditor would: the checkpoint's signature with the
// verifier key, then the path from the leaf to the checkpoint's root.
func checkInclusion(p checkpoints.InclusionProof, vkey string) error {
	c, err := evidence.Open([]byte(p.Checkpoint), vkey)
	if err != nil {
		return fmt.Errorf("the proof's checkpoint: %w", err)
	}
	leaf, err := evidence.ParseHash(p.LeafHash)
	if err != nil {
		return err
	}
	var hashes []evidence.Hash
	for _, h := range p.Hashes {
		x, err := evidence.ParseHash(h)
		if err != nil {
			return err
		}
		hashes = append(hashes, x)
	}
	if c.Size != p.TreeSize {
		return fmt.Errorf("the proof is for a tree of %d events; its checkpoint signs %d", p.TreeSize, c.Size)
	}
	if err := evidence.CheckInclusion(hashes, p.TreeSize, c.Root, p.LeafIndex, leaf); err != nil {
		return fmt.Errorf("event %s: %w", p.Event, err)
	}
	return nil
}
