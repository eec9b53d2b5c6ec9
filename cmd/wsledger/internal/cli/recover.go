package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/checkpoints"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/natsauth"
	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/events/evidence"
	"github.com/wsledger/wsledger/projections/trees"
	"github.com/wsledger/wsledger/projections/wsta"
)

// runRecover records, as a HistoryRecovered event, that a provider's history was restored from
// behind its last signed checkpoint, and signs the checkpoint that goes on from it. Until then
// serve refuses the provider's appends, since its store no longer holds what was signed. The
// history must be intact on its own; the event names the checkpoint it no longer extends, so the
// loss stays in every checkpoint after it, and witnesses refuse the first of them until cleared.
func runRecover(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "recover", "--provider P --staff ID --reason TEXT [flags]",
		"after restoring a backup older than a provider's last signed checkpoint, record the loss in its history (HistoryRecovered) and sign a checkpoint over what it holds, so that serve accepts its events again; stop serve first")
	provider := fs.String("provider", "", "the `provider` whose history was restored")
	staff := fs.String("staff", "", "the staff `id` of the person who recovers it, recorded as the event's actor (role admin)")
	reason := fs.String("reason", "", "what was lost and from which backup the history was restored (`text`, recorded in the event)")
	subjectKey := addSubjectKeyFlag(fs)
	sf := addSigningFlags(fs, false)
	lf := addLedgerFlags(fs, env)
	if err := parse(fs, args, false); err != nil {
		return err
	}
	switch {
	case *provider == "":
		return usagef("--provider is required")
	case strings.TrimSpace(*staff) == "":
		return usagef("--staff is required: the staff id of the person who recovers the history")
	case strings.TrimSpace(*reason) == "":
		return usagef("--reason is required: say what was lost and which backup was restored")
	}
	if err := events.CheckProvider(*provider); err != nil {
		return err
	}
	for field, s := range map[string]string{"--staff": *staff, "--reason": *reason} {
		if err := events.CheckText(field, s); err != nil {
			return err
		}
	}
	o, err := openToSign(ctx, env, lf, sf, *subjectKey, false)
	if err != nil {
		return err
	}
	defer o.st.Close()
	st, cps, skey, vkey := o.st, o.cps, o.skey, o.vkey

	// What was signed, and whether the history still extends it.
	note, found, err := cps.Latest(ctx, *provider)
	if err != nil {
		return err
	}
	if !found {
		return fmt.Errorf("provider %s has no signed checkpoint: there is nothing to recover from", *provider)
	}
	signed, err := evidence.Open(note, vkey)
	if err != nil {
		return fmt.Errorf("the latest stored checkpoint of %s does not verify with the ledger's key: %w", *provider, err)
	}
	ts, err := checkpoints.TreesFromLog(ctx, st, *provider)
	if err != nil {
		return err
	}
	size := ts.Size(*provider)
	if ts.Superseded(*provider, signed.Size, signed.Root) {
		return fmt.Errorf("the history of %s already records its recovery from the checkpoint of size %d; run serve, or wsledger checkpoint --provider %s", *provider, signed.Size, *provider)
	}
	if treeExtends(ts, *provider, signed) {
		return fmt.Errorf("the history of %s (%d events) extends its last signed checkpoint (size %d): nothing was lost, and nothing is recorded", *provider, size, signed.Size)
	}
	// The history must hold on its own: a recovery goes on from what the backup kept, intact.
	r, err := events.VerifyWith(ctx, st, *provider, events.VerifyOptions{})
	if err != nil {
		return err
	}
	if r.Tamper != nil {
		return fmt.Errorf("the history of %s is not intact on its own (%s): restore a good backup first", *provider, describeTamper(r.Tamper))
	}

	payload := events.HistoryRecovered{CheckpointSize: signed.Size, CheckpointRoot: evidence.Hex(signed.Root), HistorySize: size, Reason: *reason}
	raw, err := events.EncodePayload(payload)
	if err != nil {
		return err
	}
	head, err := st.Head(ctx, *provider)
	if err != nil {
		return err
	}
	res, err := st.Append(ctx, events.AppendRequest{
		Provider:       *provider,
		Actor:          events.Actor{StaffID: *staff, Role: events.RoleAdmin},
		IdempotencyKey: fmt.Sprintf("recover-%d-%s", signed.Size, evidence.Hex(signed.Root)),
		ExpectedSeq:    &head.Sequence,
		Events: []events.Draft{{
			Type: events.TypeHistoryRecovered, Version: events.CurrentVersion(events.TypeHistoryRecovered),
			AggregateKind: domain.KindHistory, AggregateID: domain.AggregateID(*provider, domain.KindHistory, *provider),
			OccurredAt: time.Now().UTC(), Payload: raw, Value: payload,
		}},
	})
	if err != nil {
		return err
	}
	e := res[0].Events[0]
	fmt.Fprintf(env.Stdout, "provider %s: recorded HistoryRecovered at position %d (event %s): its history held %d events; the checkpoint of size %d, root %s, covered %d more, which are lost\n",
		*provider, e.Position, e.ID, size, signed.Size, evidence.Hex(signed.Root), max(signed.Size-size, 0))

	// The checkpoint that goes on from the recovered history.
	if ts, err = checkpoints.TreesFromLog(ctx, st, *provider); err != nil {
		return err
	}
	feed, err := wsta.New(ctx, st, st.FeedJetStream(), wsta.Options{Stream: natsauth.FeedStream, Replicas: replicasOf(st)})
	if err != nil {
		return err
	}
	signer := &checkpoints.Signer{Ledger: sf.name, Key: skey, Trees: ts, Store: cps, Sync: st.Sync, Publish: feed}
	note, err = signer.Sign(ctx, *provider)
	if err != nil {
		return err
	}
	c, err := evidence.Open(note, vkey)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "provider %s: signed checkpoint of size %d, root %s; a witness that held the lost events refuses it until WSTA clears it (wsledger witness --clear)\n",
		*provider, c.Size, evidence.Hex(c.Root))
	return nil
}

// treeExtends reports whether a provider's tree extends a signed checkpoint: it holds at least as
// many leaves, and its first Size hash to the checkpoint's root.
func treeExtends(ts *trees.Trees, provider string, c *evidence.Signed) bool {
	ok := false
	ts.With(provider, func(t *evidence.Tree, _ []uuid.UUID) error {
		if t.Size() >= c.Size {
			root, err := t.Root(c.Size)
			ok = err == nil && root == c.Root
		}
		return nil
	})
	return ok
}
