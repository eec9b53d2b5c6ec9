package cli

import (
	"context"
	"flag"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/queries"
	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/projections"
)

// viewFlags are the flags every read-model command takes.
type viewFlags struct {
	provider, asOf, clock, format string
}

func addViewFlags(fs *flag.FlagSet) *viewFlags {
	v := &viewFlags{}
	fs.StringVar(&v.provider, "provider", "", "the `provider` (required unless the token is bound to one)")
	fs.StringVar(&v.asOf, "as-of", "", "replay as of `T`: RFC 3339, a local Anchorage time (2026-03-31T17:00) or a date (the end of that day); default now")
	fs.StringVar(&v.clock, "clock", "recorded", "with --as-of, the `clock`: recorded (what the ledger knew at T) or occurred (what had happened by T)")
	fs.StringVar(&v.format, "format", "table", "output `format`: table, json or csv")
	return v
}

// check validates the flags and returns the as-of instant (zero for now) and clock.
func (v *viewFlags) check() (time.Time, events.Clock, error) {
	if v.format != "table" && v.format != "json" && v.format != "csv" {
		return time.Time{}, "", usagef("--format must be table, json or csv")
	}
	clock, err := queries.ParseClock(v.clock)
	if err != nil {
		return time.Time{}, "", usagef("--clock must be recorded or occurred")
	}
	if v.asOf == "" {
		return time.Time{}, clock, nil
	}
	at, err := queries.ParseAsOf(v.asOf)
	if err != nil {
		return time.Time{}, "", usagef("--as-of must be an RFC 3339 instant, a local Anchorage time like 2026-03-31T17:00, or a date like 2026-03-31")
	}
	return at, clock, nil
}

func (v *viewFlags) query() url.Values {
	q := url.Values{}
	for k, val := range map[string]string{"provider": v.provider, "as_of": v.asOf, "clock": v.clock} {
		if val != "" {
			q.Set(k, val)
		}
	}
	return q
}

// viewCommand returns the command that prints one read model.
func viewCommand(name string) func(ctx context.Context, env Env, args []string) error {
	if name == "audit" {
		return runAudit
	}
	if name == "overview" {
		return runOverview
	}
	if name == "deadlines" {
		return runDeadlines
	}
	return func(ctx context.Context, env Env, args []string) error {
		q, _ := queries.Find(name)
		fs := newFlags(env, name, "[--provider P] [--as-of T] [--clock recorded|occurred] [--format table|json|csv] [flags]", "show "+q.Summary)
		vf := addViewFlags(fs)
		lf := addLedgerFlags(fs, env)
		rf := addRemoteFlags(fs, env)
		if err := parse(fs, args, false); err != nil {
			return err
		}
		v, err := readView(ctx, env, q, vf, lf, rf)
		if err != nil {
			return err
		}
		return render(env.Stdout, vf.format, v, func(w io.Writer) error { return queries.WriteCSV(w, q, v) })
	}
}

// readView reads a view over HTTP, or replays it from the store (as of now when no --as-of).
func readView(ctx context.Context, env Env, q queries.Query, vf *viewFlags, lf *ledgerFlags, rf *remoteFlags) (queries.View, error) {
	at, clock, err := vf.check()
	if err != nil {
		return nil, err
	}
	c, err := rf.client(lf)
	if err != nil {
		return nil, err
	}
	if c != nil {
		status, data, err := c.do(ctx, "GET", "/v1/"+q.Name, vf.query(), nil)
		if err != nil {
			return nil, err
		}
		if status != 200 {
			return nil, errorOfBody(status, data)
		}
		return q.Decode(data)
	}
	if vf.provider == "" {
		return nil, usagef("--provider is required")
	}
	rp, err := localReplay(ctx, env, lf, vf.provider, at, clock)
	if err != nil {
		return nil, err
	}
	return q.Replay(rp), nil
}

// localReplay rebuilds a provider's views from the store as of at (now when zero).
func localReplay(ctx context.Context, env Env, lf *ledgerFlags, provider string, at time.Time, clock events.Clock) (*projections.Replay, error) {
	st, err := openExisting(ctx, lf)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	if at.IsZero() {
		at = time.Now()
	}
	p := newProgress(env)
	p.update("replaying %s as of %s on the %s clock", provider, at.Format(time.RFC3339), clock)
	defer p.done()
	return projections.New(st, domain.DefaultPolicy()).Replay(ctx, provider, at, clock)
}

// render writes a view in a format.
func render(w io.Writer, format string, v queries.View, csv func(io.Writer) error) error {
	switch format {
	case "json":
		return writeJSON(w, v)
	case "csv":
		return csv(w)
	}
	return v.WriteText(w)
}

func runOverview(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "overview", "[--provider P] [--as-of T] [--clock recorded|occurred] [--format table|json|csv] [flags]",
		"show a provider's headline numbers; with --server and a token for every provider and no --provider, every provider's and the state's totals")
	vf := addViewFlags(fs)
	lf := addLedgerFlags(fs, env)
	rf := addRemoteFlags(fs, env)
	if err := parse(fs, args, false); err != nil {
		return err
	}
	q, _ := queries.Find("overview")
	if vf.provider == "" && rf.server != "" && vf.asOf == "" {
		c, err := rf.client(lf)
		if err != nil {
			return err
		}
		var s projections.Statewide
		if err := c.get(ctx, "/v1/statewide", nil, &s); err != nil {
			if e, ok := err.(*events.Error); !ok || e.Code != events.Forbidden {
				return err
			}
		} else {
			return render(env.Stdout, vf.format, s, func(w io.Writer) error {
				return queries.WriteRows(w, s.Providers)
			})
		}
	}
	v, err := readView(ctx, env, q, vf, lf, rf)
	if err != nil {
		return err
	}
	return render(env.Stdout, vf.format, v, func(w io.Writer) error { return queries.WriteCSV(w, q, v) })
}

func runAudit(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "audit", "[--provider P] [--as-of T] [--clock recorded|occurred] [--from T] [--to T] [--type T1,T2] [--format table|json|csv] [flags]",
		"list a provider's events, each marked verified (ok), damaged, or unverified after the first damage; --as-of (or --to) and --from bound the period on --clock")
	vf := addViewFlags(fs)
	from := fs.String("from", "", "only events at or after `T` (a date: from the start of that day)")
	fs.StringVar(&vf.asOf, "to", "", "only events at or before `T`; the same as --as-of")
	types := fs.String("type", "", "only events of these `types`, comma separated")
	fs.StringVar(types, "kind", "", "only events of these `kinds`; the same as --type")
	lf := addLedgerFlags(fs, env)
	rf := addRemoteFlags(fs, env)
	if err := parse(fs, args, false); err != nil {
		return err
	}
	to, clock, err := vf.check()
	if err != nil {
		return err
	}
	f := projections.AuditFilter{To: to, Clock: clock}
	if *from != "" {
		if f.From, err = queries.ParseFrom(*from); err != nil {
			return usagef("--from must be an RFC 3339 instant, a local Anchorage time or a date")
		}
	}
	if *types != "" {
		f.Types = strings.Split(*types, ",")
	}
	trail, err := readAudit(ctx, env, vf, lf, rf, f, *from, *types)
	if err != nil {
		return err
	}
	switch vf.format {
	case "json":
		return writeJSON(env.Stdout, trail)
	case "csv":
		return trail.WriteCSV(env.Stdout)
	}
	return trail.WriteText(env.Stdout)
}

func readAudit(ctx context.Context, env Env, vf *viewFlags, lf *ledgerFlags, rf *remoteFlags, f projections.AuditFilter, from, types string) (projections.AuditTrail, error) {
	var trail projections.AuditTrail
	c, err := rf.client(lf)
	if err != nil {
		return trail, err
	}
	if c != nil {
		q := vf.query()
		if from != "" {
			q.Set("from", from)
		}
		if types != "" {
			q.Set("type", types)
		}
		return trail, c.get(ctx, "/v1/audit", q, &trail)
	}
	if vf.provider == "" {
		return trail, usagef("--provider is required")
	}
	st, err := openExisting(ctx, lf)
	if err != nil {
		return trail, err
	}
	defer st.Close()
	p := newProgress(env)
	p.update("verifying and reading %s", vf.provider)
	defer p.done()
	return projections.New(st, domain.DefaultPolicy()).Audit(ctx, vf.provider, f)
}
