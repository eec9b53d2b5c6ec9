// Package verification is the one whole-store check that `wsledger verify`, GET /v1/verify and
// the dashboard run: the store holds every sequence up to its end; every provider's history
// chains and hashes as the ledger wrote it; its tree extends every signed checkpoint stored for
// it, each checked with the ledger's verifier key; and, when given, a checkpoint an auditor or
// witness kept, the leaves a witness kept, and a digest.
package verification

import (
	"context"
	"fmt"
	"strings"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/checkpoints"
	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/events/evidence"
)

// Options are what the histories are checked against besides themselves.
type Options struct {
	// Provider limits the check to one provider ("": every provider, and the store itself).
	Provider string
	// Digest is a digest exported earlier (its provider is checked against it).
	Digest *events.Digest
	// LedgerKey is the ledger's verifier key. Without it the stored checkpoints are not
	// checked, and each report says so.
	LedgerKey string
	// Witnesses are witnesses' verifier keys, to count their cosignatures.
	Witnesses []string
	// Held is a signed checkpoint someone kept (verify --checkpoint FILE), named HeldFrom in
	// messages; the history of its provider must extend it.
	Held     []byte
	HeldFrom string
	// WitnessLeaves returns the leaf hashes a witness kept for a provider (verify --witness
	// DIR), so that the first event that differs is named; nil when none are kept.
	WitnessLeaves func(provider string) ([]evidence.Hash, error)
}

// Result is the outcome: one report per provider, and first, when the store lacks sequences,
// one with provider "" that names them.
type Result struct {
	Reports []events.Report `json:"reports"`
	// Unchecked says the stored checkpoints were not checked (no verifier key given).
	Unchecked bool `json:"checkpoints_unchecked,omitempty"`
}

// Intact reports whether every report is intact.
func (r Result) Intact() bool {
	for _, rep := range r.Reports {
		if !rep.Intact {
			return false
		}
	}
	return true
}

// Run checks the store. cps may be nil when the ledger has no checkpoint stream yet.
func Run(ctx context.Context, log events.Log, cps *checkpoints.Store, o Options) (Result, error) {
	res := Result{Unchecked: o.LedgerKey == ""}
	var held *evidence.Signed
	heldProvider := ""
	if len(o.Held) > 0 {
		if o.LedgerKey == "" {
			return res, events.Errorf(events.Invalid, "checkpoint", "Checking a kept checkpoint needs the ledger's verifier key.")
		}
		c, err := evidence.Open(o.Held, o.LedgerKey, o.Witnesses...)
		if err != nil {
			res.Reports = append(res.Reports, events.Report{Tamper: &events.Tamper{Kind: events.Forged,
				Message: fmt.Sprintf("%s does not verify with the ledger's verifier key: %v", o.HeldFrom, err)}})
			return res, nil
		}
		p, err := c.Provider(ledgerName(o.LedgerKey))
		if err != nil {
			return res, events.Errorf(events.Invalid, "checkpoint", "%s: %v", o.HeldFrom, err)
		}
		held, heldProvider = c, p
		if o.Provider == "" {
			o.Provider = p
		}
	}
	providers := []string{o.Provider}
	if o.Provider == "" {
		if sc, ok := log.(events.StoreChecker); ok {
			r, err := storeReport(ctx, sc)
			if err != nil {
				return res, err
			}
			if r != nil {
				res.Reports = append(res.Reports, *r)
			}
		}
		all, err := log.Providers(ctx)
		if err != nil {
			return res, err
		}
		providers = all
	}
	for _, p := range providers {
		opts := events.VerifyOptions{}
		if o.Digest != nil && o.Digest.Provider == p {
			opts.Digest = o.Digest
		}
		anchors, forged, err := storedAnchors(ctx, cps, p, o)
		if err != nil {
			return res, err
		}
		if forged != nil {
			res.Reports = append(res.Reports, events.Report{Provider: p, Tamper: forged})
			continue
		}
		opts.Checkpoints = anchors
		if held != nil && heldProvider == p {
			opts.Checkpoints = append(opts.Checkpoints, checkpoints.Anchor(held, o.HeldFrom))
		}
		if o.WitnessLeaves != nil {
			if opts.Leaves, err = o.WitnessLeaves(p); err != nil {
				return res, err
			}
		}
		r, err := events.VerifyWith(ctx, log, p, opts)
		if err != nil {
			return res, err
		}
		res.Reports = append(res.Reports, r)
	}
	return res, nil
}

// storeReport names the sequences the store no longer holds, or returns nil.
func storeReport(ctx context.Context, sc events.StoreChecker) (*events.Report, error) {
	missing, err := sc.Missing(ctx)
	if err != nil || len(missing) == 0 {
		return nil, err
	}
	return &events.Report{Tamper: &events.Tamper{Kind: events.Removed, Sequence: missing[0],
		Message: fmt.Sprintf("the store no longer holds %d message(s) (stream sequences %s); the ledger never deletes", len(missing), events.Ranges(missing))}}, nil
}

// storedAnchors returns the provider's stored checkpoints as anchors, or, when one does not
// verify with the ledger's key, the tamper that says so.
func storedAnchors(ctx context.Context, cps *checkpoints.Store, provider string, o Options) ([]events.Anchor, *events.Tamper, error) {
	if cps == nil || o.LedgerKey == "" {
		return nil, nil, nil
	}
	notes, err := cps.All(ctx, provider)
	if err != nil {
		return nil, nil, err
	}
	var out []events.Anchor
	for i, n := range notes {
		c, err := evidence.Open(n, o.LedgerKey, o.Witnesses...)
		if err != nil {
			return nil, &events.Tamper{Kind: events.Forged, Provider: provider,
				Message: fmt.Sprintf("a checkpoint stored for the provider does not verify with the ledger's verifier key (%v): it was forged, or signed with another key", err)}, nil
		}
		if p, err := c.Provider(ledgerName(o.LedgerKey)); err != nil || p != provider {
			return nil, &events.Tamper{Kind: events.Forged, Provider: provider,
				Message: fmt.Sprintf("a checkpoint stored for the provider has the origin %q", c.Origin)}, nil
		}
		a := checkpoints.Anchor(c, fmt.Sprintf("the signed checkpoint of size %d stored in the ledger", c.Size))
		a.Order = i + 1
		out = append(out, a)
	}
	return out, nil, nil
}

func ledgerName(vkey string) string {
	name, _, _ := strings.Cut(vkey, "+")
	return name
}
