package cli

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/auth"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/demo"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/store"
	"github.com/wsledger/wsledger/domain"
)

func runDemo(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "demo", "[--tokens-file F] [flags]",
		"write the demo data set (three providers, a year of their work) into the ledger and print its sign-in tokens; running it again adds nothing and keeps the tokens")
	tokensFile := addTokensFileFlag(fs)
	subjectKey := addSubjectKeyFlag(fs)
	lf := addLedgerFlags(fs, env)
	sf := addSigningFlags(fs, false)
	if err := parse(fs, args, false); err != nil {
		return err
	}
	o, err := lf.options()
	if err != nil {
		return err
	}
	skey, err := sf.load(env, lf, true)
	if err != nil {
		return err
	}
	clock := &demo.Clock{}
	o.Now = clock.Now
	st, err := store.Open(ctx, o)
	if err != nil {
		return err
	}
	defer st.Close()
	tokens, err := auth.OpenTokens(ctx, st.JetStream(), replicasOf(st), time.Now)
	if err != nil {
		return err
	}
	policy, err := ledgerPolicy(ctx, env, st, lf, *subjectKey)
	if err != nil {
		return err
	}
	if err := loadDemo(ctx, env, st, policy, clock, tokens, demoTokensFile(*tokensFile, lf)); err != nil {
		return err
	}
	// Every provider's history so far is covered by a signed checkpoint before the command ends.
	_, err = signLocally(ctx, st, skey, sf.name)
	return err
}

func addTokensFileFlag(fs *flag.FlagSet) *string {
	return fs.String("tokens-file", "", "write the demo's sign-in tokens to `F` (default DATA/"+demo.TokensFile+", or ./wsledger-"+demo.TokensFile+" with --nats)")
}

// demoTokensFile is where the demo's tokens go.
func demoTokensFile(flagValue string, lf *ledgerFlags) string {
	switch {
	case flagValue != "":
		return flagValue
	case lf.nats != "":
		return "wsledger-" + demo.TokensFile
	}
	return filepath.Join(lf.data, demo.TokensFile)
}

// loadDemo writes the data set, then prints the sign-in tokens and where they are kept.
func loadDemo(ctx context.Context, env Env, st *store.Store, policy domain.Policy, clock *demo.Clock, tokens *auth.Tokens, file string) error {
	p := newProgress(env)
	sum, err := demo.LoadWith(ctx, st, policy, clock, func(done, total int) { p.update("demo: %d of %d commands", done, total) })
	p.done()
	if err != nil {
		return err
	}
	list, err := demo.Tokens(ctx, tokens, file)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "demo data: %d commands (%d new, %d already in the ledger) for providers %s\n",
		sum.Commands, sum.Appended, sum.Already, strings.Join(sum.Providers, ", "))
	fmt.Fprintf(env.Stderr, "demo sign-in tokens (also in %s):\n", file)
	return demo.WriteTokens(env.Stderr, list)
}
