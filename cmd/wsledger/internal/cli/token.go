package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/url"
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
	case "rotate":
		return tokenRotate(ctx, env, args)
	case "revoke":
		return tokenRevoke(ctx, env, args)
	case "":
		fs := newFlags(env, "token", "create|list|rotate|revoke [flags]",
			"manage API tokens: create prints a new token once (only its SHA-256 is kept), list shows every token's id and grant, rotate replaces one with a new token of the same grant, revoke disables one by id; with --server, or while wsledger serve holds the data directory, through its API; run 'wsledger token create -h' (list, rotate, revoke) for each one's flags")
		if err := parse(fs, args, false); err != nil {
			return err
		}
		return usagef("name a sub-command: create, list, rotate or revoke")
	}
	return usagef("unknown sub-command %q: want create, list, rotate or revoke", sub)
}

// tokenTarget is where a token command works: a running server's API (--server, or the serve
// that holds the data directory), or the store's token bucket.
type tokenTarget struct {
	lf *ledgerFlags
	rf *remoteFlags
}

func addTokenTarget(fs *flag.FlagSet, env Env) tokenTarget {
	return tokenTarget{lf: addLedgerFlags(fs, env), rf: addRemoteFlags(fs, env)}
}

// run calls remote with the API's client, or local with the store's token bucket.
func (tt tokenTarget) run(ctx context.Context, remote func(*client) error, local func(*store.Store, *auth.Tokens) error) error {
	c, err := tt.rf.client(tt.lf)
	if err != nil {
		return err
	}
	if c != nil {
		return remote(c)
	}
	st, tokens, err := openTokens(ctx, tt.lf)
	if err != nil {
		return err
	}
	defer st.Close()
	return local(st, tokens)
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
	tt := addTokenTarget(fs, env)
	if err := parse(fs, args, false); err != nil {
		return err
	}
	if g.StaffID == "" || g.Role == "" || g.Provider == "" {
		return usagef("--staff, --role and --provider are required")
	}
	if err := g.Check(); err != nil {
		return usagef("%v", err)
	}
	var issued issuedToken
	err := tt.run(ctx, func(c *client) error {
		body, _ := json.Marshal(map[string]string{"staff_id": g.StaffID, "role": g.Role, "provider": g.Provider, "label": g.Label})
		return c.send(ctx, "POST", "/v1/tokens", body, &issued)
	}, func(st *store.Store, tokens *auth.Tokens) error {
		if err := auth.CheckProviderExists(ctx, g, st.Providers); err != nil {
			return err
		}
		var err error
		issued.Token, issued.Record, err = tokens.Create(ctx, g)
		return err
	})
	if err != nil {
		return err
	}
	issued.print(env, "for")
	return nil
}

// issuedToken is a token created or rotated, as the API answers it.
type issuedToken struct {
	Token  string      `json:"token"`
	Record auth.Record `json:"record"`
}

func (it issuedToken) print(env Env, what string) {
	r := it.Record
	fmt.Fprintln(env.Stdout, it.Token)
	fmt.Fprintf(env.Stderr, "token %s %s %s (%s) on provider %s; it is shown only this once\n", r.ID, what, r.StaffID, r.Role, r.Provider)
}

func tokenList(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "token list", "[--format table|json] [flags]", "list every API token (revoked ones too): id, staff, role, provider, label, created, revoked")
	format := fs.String("format", "table", "output `format`: table or json")
	tt := addTokenTarget(fs, env)
	if err := parse(fs, args, false); err != nil {
		return err
	}
	if *format != "table" && *format != "json" {
		return usagef("--format must be table or json")
	}
	var list []auth.Record
	err := tt.run(ctx, func(c *client) error {
		var body struct {
			Tokens []auth.Record `json:"tokens"`
		}
		err := c.get(ctx, "/v1/tokens", nil, &body)
		list = body.Tokens
		return err
	}, func(_ *store.Store, tokens *auth.Tokens) error {
		var err error
		list, err = tokens.List(ctx)
		return err
	})
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

func tokenRotate(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "token rotate", "ID [flags]", "replace the token with this id by a new one of the same grant, printed once; the old one is revoked")
	tt := addTokenTarget(fs, env)
	id, err := tokenID(fs, args)
	if err != nil {
		return err
	}
	var issued issuedToken
	err = tt.run(ctx, func(c *client) error {
		return c.send(ctx, "POST", "/v1/tokens/"+url.PathEscape(id)+"/rotate", nil, &issued)
	}, func(_ *store.Store, tokens *auth.Tokens) error {
		var err error
		issued.Token, issued.Record, err = tokens.Rotate(ctx, id)
		return err
	})
	if err != nil {
		return err
	}
	issued.print(env, "replaces "+id+" for")
	return nil
}

// tokenID parses a command that names one token id.
func tokenID(fs *flag.FlagSet, args []string) (string, error) {
	if err := parse(fs, args, true); err != nil {
		return "", err
	}
	if fs.NArg() != 1 {
		return "", usagef("name exactly one token id")
	}
	return fs.Arg(0), nil
}

func tokenRevoke(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "token revoke", "ID [flags]", "revoke the token with this id (from wsledger token list); it stops working at once everywhere")
	tt := addTokenTarget(fs, env)
	id, err := tokenID(fs, args)
	if err != nil {
		return err
	}
	var rec auth.Record
	err = tt.run(ctx, func(c *client) error {
		return c.send(ctx, "POST", "/v1/tokens/"+url.PathEscape(id)+"/revoke", nil, &rec)
	}, func(_ *store.Store, tokens *auth.Tokens) error {
		var err error
		rec, err = tokens.Revoke(ctx, id)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "revoked token %s of %s (%s) on provider %s\n", rec.ID, rec.StaffID, rec.Role, rec.Provider)
	return nil
}
