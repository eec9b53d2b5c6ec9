package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/auth"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/store"
)

func runToken(ctx context.Context, env Env, args []string) error {
	sub := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		sub, args = args[0], args[1:]
	}
	switch sub {
	case "create":
		return tokenCreate(ctx, env, args)
	case "list":
		return tokenList(ctx, env, args)
	case "revoke":
		return tokenRevoke(ctx, env, args)
	case "":
		fs := newFlags(env, "token", "create|list|revoke [flags]",
			"manage API tokens: create prints a new token once (only its SHA-256 is kept), list shows every token's id and grant, revoke disables one by id; run 'wsledger token create -h' (list, revoke) for each one's flags")
		if err := parse(fs, args, false); err != nil {
			return err
		}
		return usagef("name a sub-command: create, list or revoke")
	}
	return usagef("unknown sub-command %q: want create, list or revoke", sub)
}

// openTokens opens the store and its token bucket.
func openTokens(ctx context.Context, lf *ledgerFlags) (*store.Store, *auth.Tokens, error) {
	st, err := openStore(ctx, lf)
	if err != nil {
		return nil, nil, err
	}
	tokens, err := auth.OpenTokens(ctx, st.JetStream(), replicasOf(st), time.Now)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return st, tokens, nil
}

// replicasOf is the replica count for the ledger's buckets: one embedded, three on a cluster.
func replicasOf(st *store.Store) int { return st.Replicas() }

func tokenCreate(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "token create", "--staff ID --role R --provider P [--label TEXT] [flags]",
		"create an API token for a member of staff, in a role, for a provider (* for every provider: csqa_auditor, wsta and admin only) and print it once")
	var g auth.Grant
	fs.StringVar(&g.StaffID, "staff", "", "the member of staff's `id` (required)")
	fs.StringVar(&g.Role, "role", "", "the `role`: "+strings.Join(auth.Roles, ", ")+" (required)")
	fs.StringVar(&g.Provider, "provider", "", "the `provider` id, or * for every provider (required)")
	fs.StringVar(&g.Label, "label", "", "a note shown in the token list, for example who holds it")
	lf := addLedgerFlags(fs, env)
	if err := parse(fs, args, false); err != nil {
		return err
	}
	if g.StaffID == "" || g.Role == "" || g.Provider == "" {
		return usagef("--staff, --role and --provider are required")
	}
	if err := g.Check(); err != nil {
		return usagef("%v", err)
	}
	st, tokens, err := openTokens(ctx, lf)
	if err != nil {
		return err
	}
	defer st.Close()
	token, rec, err := tokens.Create(ctx, g)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, token)
	fmt.Fprintf(env.Stderr, "token %s for %s (%s) on provider %s; it is shown only this once\n", rec.ID, rec.StaffID, rec.Role, rec.Provider)
	return nil
}

func tokenList(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "token list", "[--format table|json] [flags]", "list every API token (revoked ones too): id, staff, role, provider, label, created, revoked")
	format := fs.String("format", "table", "output `format`: table or json")
	lf := addLedgerFlags(fs, env)
	if err := parse(fs, args, false); err != nil {
		return err
	}
	if *format != "table" && *format != "json" {
		return usagef("--format must be table or json")
	}
	st, tokens, err := openTokens(ctx, lf)
	if err != nil {
		return err
	}
	defer st.Close()
	list, err := tokens.List(ctx)
	if err != nil {
		return err
	}
	if *format == "json" {
		if list == nil {
			list = []auth.Record{}
		}
		return writeJSON(env.Stdout, list)
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTAFF\tROLE\tPROVIDER\tCREATED\tREVOKED\tLABEL")
	for _, r := range list {
		revoked := "-"
		if !r.RevokedAt.IsZero() {
			revoked = r.RevokedAt.Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.StaffID, r.Role, r.Provider, r.CreatedAt.Format(time.RFC3339), revoked, r.Label)
	}
	return tw.Flush()
}

func tokenRevoke(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "token revoke", "ID [flags]", "revoke the token with this id (from wsledger token list); it stops working at once everywhere")
	lf := addLedgerFlags(fs, env)
	if err := parse(fs, args, true); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("name exactly one token id")
	}
	st, tokens, err := openTokens(ctx, lf)
	if err != nil {
		return err
	}
	defer st.Close()
	rec, err := tokens.Revoke(ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "revoked token %s of %s (%s) on provider %s\n", rec.ID, rec.StaffID, rec.Role, rec.Provider)
	return nil
}
