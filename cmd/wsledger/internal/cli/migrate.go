package cli

import (
	"context"
	"fmt"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/checkpoints"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/natsauth"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/store"
	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/events/evidence"
	"github.com/wsledger/wsledger/projections/wsta"
)

// runMigrate brings a ledger written by an earlier version to this one's shape, once, before
// serve runs on it: everything else an earlier ledger lacks (the access configuration of two
// accounts, the writer lease, the feed in its own account) comes with the first open, but the
// first signed checkpoint of each provider is a statement that its history so far is the
// ledger's, so it is signed here only after that history verifies.
func runMigrate(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "migrate", "[--subject-key FILE] [--signing-key FILE] [flags]",
		"bring a ledger written by an earlier version up to this one: verify every provider's history, then sign its first checkpoint; stop serve first, and keep the printed verifier key")
	subjectKey := addSubjectKeyFlag(fs)
	sf := addSigningFlags(fs, false)
	lf := addLedgerFlags(fs, env)
	if err := parse(fs, args, false); err != nil {
		return err
	}
	o, err := openToSign(ctx, env, lf, sf, *subjectKey, true)
	if err != nil {
		return err
	}
	defer o.st.Close()
	st, cps, skey, vkey := o.st, o.cps, o.skey, o.vkey
	providers, err := st.Providers(ctx)
	if err != nil {
		return err
	}
	p := newProgress(env)
	var checked []events.Report
	for i, id := range providers {
		p.update("verifying provider %d of %d: %s", i+1, len(providers), id)
		r, err := events.VerifyWith(ctx, st, id, events.VerifyOptions{})
		if err != nil {
			p.done()
			return err
		}
		if r.Tamper != nil {
			p.done()
			return fmt.Errorf("provider %s is not intact, so no checkpoint is signed over it: %s", id, describeTamper(r.Tamper))
		}
		checked = append(checked, r)
	}
	p.done()
	ts, err := checkpoints.TreesFromLog(ctx, st, providers...)
	if err != nil {
		return err
	}
	feed, err := wsta.New(ctx, st, st.FeedJetStream(), wsta.Options{Stream: natsauth.FeedStream, Replicas: replicasOf(st)})
	if err != nil {
		return err
	}
	signer := &checkpoints.Signer{Ledger: sf.name, Key: skey, Trees: ts, Store: cps, Sync: st.Sync, Publish: feed}
	if err := signer.Check(ctx, providers); err != nil {
		return err
	}
	for _, r := range checked {
		note, err := signer.Sign(ctx, r.Provider)
		if err != nil {
			return err
		}
		c, err := evidence.Open(note, vkey)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "provider %s: %d events verified; checkpoint of size %d, root %s\n", r.Provider, r.Events, c.Size, evidence.Hex(c.Root))
	}
	fmt.Fprintf(env.Stdout, "verifier key (give it to auditors and witnesses): %s\n", vkey)
	return nil
}

// signing is a store opened by a command that signs checkpoints without serve: the store, its
// checkpoints, and the ledger's signing and verifier keys.
type signing struct {
	st         *store.Store
	cps        *checkpoints.Store
	skey, vkey string
}

// openToSign loads the signing key (creating it when create is set), opens the store with its
// subject key checked, and its checkpoint stream. The caller closes o.st.
func openToSign(ctx context.Context, env Env, lf *ledgerFlags, sf *signingFlags, subjectKey string, create bool) (o signing, err error) {
	if o.skey, err = sf.load(env, lf, create); err != nil {
		return o, err
	}
	if o.vkey, err = evidence.VerifierKey(o.skey); err != nil {
		return o, err
	}
	if o.st, err = openStore(ctx, lf); err != nil {
		return o, err
	}
	if _, err = ledgerPolicy(ctx, env, o.st, lf, subjectKey); err == nil {
		o.cps, err = checkpoints.OpenStore(ctx, o.st.JetStream(), replicasOf(o.st))
	}
	if err != nil {
		o.st.Close()
	}
	return o, err
}
