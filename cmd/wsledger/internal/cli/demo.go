package cli

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/auth"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/demo"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/store"
	"github.com/wsledger/wsledger/domain"
)

func runDemo(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "demo", "[--demo-end DATE] [--tokens-file F] [flags]",
		"write the demo data set (three providers, a year of their work up to today or --demo-end) into the ledger and print its sign-in tokens; running it again adds nothing and keeps the tokens")
	df := addDemoFlags(fs)
	subjectKey := addSubjectKeyFlag(fs)
	lf := addLedgerFlags(fs, env)
	sf := addSigningFlags(fs, false)
	if err := parse(fs, args, false); err != nil {
		return err
	}
	end, err := df.endAt(time.Now())
	if err != nil {
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
	if err := loadDemo(ctx, env, st, policy, clock, end, tokens, demoTokensFile(df.tokensFile, lf)); err != nil {
		return err
	}
	// Every provider's history so far is covered by a signed checkpoint before the command ends.
	_, err = signLocally(ctx, st, skey, sf.name)
	return err
}

// demoFlags are the flags of the demo, for demo and serve --demo.
type demoFlags struct{ end, tokensFile string }

func addDemoFlags(fs *flag.FlagSet) *demoFlags {
	d := &demoFlags{}
	fs.StringVar(&d.end, "demo-end", "", "end the demo's year on `DATE` (YYYY-MM-DD, Alaska; default today), at "+
		strconv.Itoa(demo.EndHour)+":00 or now if earlier")
	fs.StringVar(&d.tokensFile, "tokens-file", "", "write the demo's sign-in tokens to `F` (default DATA/"+demo.TokensFile+", or ./wsledger-"+demo.TokensFile+" with --nats)")
	return d
}

// endAt returns the instant the demo's data set ends at: on --demo-end, or today.
func (d *demoFlags) endAt(now time.Time) (time.Time, error) {
	day := domain.DateOf(now)
	if d.end != "" {
		var err error
		if day, err = domain.ParseDate(d.end); err != nil {
			return time.Time{}, usagef("--demo-end must be a date written YYYY-MM-DD")
		}
		if domain.DateOf(now).Before(day) {
			return time.Time{}, usagef("--demo-end %s is after today: the ledger records nothing that has not happened yet", d.end)
		}
	}
	return demo.EndOn(day, now), nil
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

// loadDemo writes the data set that ends at end, then prints the sign-in tokens and where they
// are kept.
func loadDemo(ctx context.Context, env Env, st *store.Store, policy domain.Policy, clock *demo.Clock, end time.Time, tokens *auth.Tokens, file string) error {
	p := newProgress(env)
	sum, err := demo.LoadWith(ctx, st, policy, clock, end, func(done, total int) { p.update("demo: %d of %d commands", done, total) })
	p.done()
	if err != nil {
		return err
	}
	list, err := demo.Tokens(ctx, tokens, file)
	if err != nil {
		return err
	}
	if sum.Kept {
		fmt.Fprintf(env.Stderr, "demo data: the ledger already holds a demo data set that ends at another moment and keeps it; "+
			"for one that ends %s, use a new data directory\n", end.In(domain.Anchorage).Format("Mon 2 Jan 2006 15:04 MST"))
	} else {
		fmt.Fprintf(env.Stderr, "demo data: %d commands (%d new, %d already in the ledger) for providers %s, up to %s\n",
			sum.Commands, sum.Appended, sum.Already, strings.Join(sum.Providers, ", "), end.In(domain.Anchorage).Format("Mon 2 Jan 2006 15:04 MST"))
	}
	fmt.Fprintf(env.Stderr, "demo sign-in tokens (also in %s):\n", file)
	return demo.WriteTokens(env.Stderr, list)
}
