package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/queries"
	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/projections"
)

// runDeadlines prints a provider's obligations: every page of those the filters select, or the
// first --limit of them, from the start or from after the obligation --after names (a page's
// "next"). When --limit leaves some out, a table says on standard error where to go on.
func runDeadlines(ctx context.Context, env Env, args []string) error {
	q, _ := queries.Find("deadlines")
	fs := newFlags(env, "deadlines", "[--provider P] [--status S] [--kind K] [--owner O] [--late-entries] [--limit N] [--after ID] [--as-of T] [--clock recorded|occurred] [--format table|json|csv] [flags]",
		"show "+q.Summary+"; --status all (the default) lists the unmet first, then the met, each by due instant; the counts cover every obligation")
	vf := addViewFlags(fs)
	var dq projections.DeadlineQuery
	fs.StringVar(&dq.Status, "status", projections.DeadlinesAll, "which `obligations`: all, unmet, met, open, due_soon, overdue, waiting_for_dpa, met_on_time or met_late")
	fs.StringVar(&dq.Kind, "kind", "", "only obligations of this `kind`, e.g. correction")
	fs.StringVar(&dq.Owner, "owner", "", "only obligations of this `staff` id; - for management's")
	fs.BoolVar(&dq.LateEntries, "late-entries", false, "only the met obligations whose record was a late entry: recorded after the end of the business day after it happened")
	limit := fs.Int("limit", 0, "print at most `N` obligations; 0 prints them all, fetching every page")
	fs.StringVar(&dq.After, "after", "", "start after the obligation of this `id`: the \"next\" of a shorter listing, to go on from where it stopped")
	lf := addLedgerFlags(fs, env)
	rf := addRemoteFlags(fs, env)
	if err := parse(fs, args, false); err != nil {
		return err
	}
	at, clock, err := vf.check()
	if err != nil {
		return err
	}
	if *limit < 0 {
		return usagef("--limit must be 0 (every obligation) or more")
	}
	if err := dq.Check(); err != nil {
		return usagef("--status must be all, unmet, met, open, due_soon, overdue, waiting_for_dpa, met_on_time or met_late")
	}
	page, err := deadlinePages(ctx, env, vf, lf, rf, at, clock)
	if err != nil {
		return err
	}
	d, err := allPages(page, dq, *limit)
	if err != nil {
		return err
	}
	if err := render(env.Stdout, vf.format, d, func(w io.Writer) error { return queries.WriteCSV(w, q, d) }); err != nil {
		return err
	}
	if d.Next != "" && vf.format == "table" {
		fmt.Fprintf(env.Stderr, "more obligations follow: go on with --after %s\n", d.Next)
	}
	return nil
}

// allPages reads pages until the last, or until it holds limit obligations (0: no limit).
func allPages(page func(projections.DeadlineQuery) (projections.Deadlines, error), q projections.DeadlineQuery, limit int) (projections.Deadlines, error) {
	var all projections.Deadlines
	for first := true; first || q.After != ""; first = false {
		q.Limit = projections.MaxDeadlineLimit
		if limit > 0 {
			q.Limit = min(limit-len(all.Items), projections.MaxDeadlineLimit)
		}
		d, err := page(q)
		if err != nil {
			return all, err
		}
		items := append(all.Items, d.Items...)
		all, all.Items, q.After = d, items, d.Next
		if limit > 0 && len(all.Items) >= limit {
			break
		}
	}
	if all.Items == nil {
		all.Items = []projections.Deadline{}
	}
	return all, nil
}

// deadlinePages returns a reader of pages of deadlines: from the server, or from the provider's
// views replayed from the store once (as of now when at is zero).
func deadlinePages(ctx context.Context, env Env, vf *viewFlags, lf *ledgerFlags, rf *remoteFlags, at time.Time, clock events.Clock) (func(projections.DeadlineQuery) (projections.Deadlines, error), error) {
	c, err := rf.client(lf)
	if err != nil {
		return nil, err
	}
	if c != nil {
		return func(q projections.DeadlineQuery) (projections.Deadlines, error) {
			query := vf.query()
			for k, v := range queries.DeadlineValues(q) {
				query[k] = v
			}
			var d projections.Deadlines
			err := c.get(ctx, "/v1/deadlines", query, &d)
			return d, err
		}, nil
	}
	if vf.provider == "" {
		return nil, usagef("--provider is required")
	}
	rp, err := localReplay(ctx, env, lf, vf.provider, at, clock)
	if err != nil {
		return nil, err
	}
	return rp.DeadlinePage, nil
}
