package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strconv"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/natsauth"
	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/projections/wsta"
)

func runVerify(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "verify", "[--provider P] [--digest FILE] [flags]",
		"check that no event of a provider (or of every provider) was altered, removed, inserted or reordered, and with --digest that the history extends a digest exported earlier; exit status 1 names the first damaged event")
	provider := fs.String("provider", "", "verify only provider `P` (default every provider)")
	digestFile := fs.String("digest", "", "also check that the history extends the digest in `FILE` (from wsledger digest)")
	format := fs.String("format", "table", "output `format`: table or json")
	lf := addLedgerFlags(fs, env)
	rf := addRemoteFlags(fs, env)
	if err := parse(fs, args, false); err != nil {
		return err
	}
	if *format != "table" && *format != "json" {
		return usagef("--format must be table or json")
	}
	anchor, err := readDigest(*digestFile, provider)
	if err != nil {
		return err
	}
	reports, err := verifyReports(ctx, env, lf, rf, *provider, anchor)
	if err != nil {
		return err
	}
	if *format == "json" {
		if err := writeJSON(env.Stdout, reports); err != nil {
			return err
		}
	}
	intact := true
	for _, r := range reports {
		if r.Tamper == nil && r.Events == 0 {
			intact = false
			fmt.Fprintf(env.Stderr, "provider %s has no events\n", r.Provider)
			continue
		}
		if r.Tamper != nil {
			intact = false
			fmt.Fprintf(env.Stderr, "provider %s is NOT intact: %s\n", r.Provider, describeTamper(r.Tamper))
		} else if *format == "table" {
			fmt.Fprintf(env.Stdout, "provider %s: intact, %d events, head at position %d (sequence %d), hash %s\n",
				r.Provider, r.Events, r.Head.Position, r.Head.Sequence, r.Head.Hash)
			if anchor != nil {
				fmt.Fprintf(env.Stdout, "provider %s: the history extends the digest at position %d (hash %s)\n",
					r.Provider, anchor.Position, anchor.Hash)
			}
		}
	}
	if !intact {
		return errFailed
	}
	if len(reports) == 0 && *format == "table" {
		fmt.Fprintln(env.Stdout, "the ledger has no events")
	}
	return nil
}

// describeTamper says where a history is damaged: the kind, the sequence, the event when one is
// named (a history that does not extend a digest names none) and what was found.
func describeTamper(t *events.Tamper) string {
	where := fmt.Sprintf("%s at sequence %d", t.Kind, t.Sequence)
	if t.EventID != "" {
		where += ", event " + t.EventID
	}
	return where + ": " + t.Message
}

// readDigest reads a digest file; the digest names the provider to verify.
func readDigest(path string, provider *string) (*events.Digest, error) {
	if path == "" {
		return nil, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var d events.Digest
	if err := json.Unmarshal(data, &d); err != nil || d.Provider == "" || d.Position == 0 || len(d.Hash) != 64 {
		return nil, usagef("%s is not a digest written by wsledger digest", path)
	}
	if *provider != "" && *provider != d.Provider {
		return nil, usagef("the digest is of provider %s, not %s", d.Provider, *provider)
	}
	*provider = d.Provider
	return &d, nil
}

// verifyReports verifies over HTTP or against the store.
func verifyReports(ctx context.Context, env Env, lf *ledgerFlags, rf *remoteFlags, provider string, anchor *events.Digest) ([]events.Report, error) {
	c, err := rf.client(lf)
	if err != nil {
		return nil, err
	}
	if c != nil {
		return c.verify(ctx, provider, anchor)
	}
	st, err := openStore(ctx, lf)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	providers := []string{provider}
	if provider == "" {
		if providers, err = st.Providers(ctx); err != nil {
			return nil, err
		}
	}
	p := newProgress(env)
	defer p.done()
	var out []events.Report
	for i, id := range providers {
		p.update("verifying provider %d of %d: %s", i+1, len(providers), id)
		r, err := events.Verify(ctx, st, id, anchor)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func (c *client) verify(ctx context.Context, provider string, anchor *events.Digest) ([]events.Report, error) {
	q := url.Values{}
	if provider != "" {
		q.Set("provider", provider)
	}
	if anchor != nil {
		q.Set("position", strconv.FormatUint(anchor.Position, 10))
		q.Set("hash", anchor.Hash)
	}
	if provider == "" {
		var all struct {
			Reports []events.Report `json:"reports"`
		}
		return all.Reports, c.get(ctx, "/v1/verify", q, &all)
	}
	var r events.Report
	if err := c.get(ctx, "/v1/verify", q, &r); err != nil {
		return nil, err
	}
	return []events.Report{r}, nil
}

func runDigest(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "digest", "--provider P [flags]",
		"export a provider's digest (position, sequence and head hash) as JSON, to publish or keep and later check with verify --digest")
	provider := fs.String("provider", "", "the `provider` (required)")
	publish := fs.Bool("publish", false, "also publish the digest to WSTA (wsta.<provider>.digest)")
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
	var d events.Digest
	switch {
	case c != nil && *publish:
		err = c.post(ctx, "/v1/digest", url.Values{"provider": {*provider}}, &d)
	case c != nil:
		err = c.get(ctx, "/v1/digest", url.Values{"provider": {*provider}}, &d)
	default:
		d, err = localDigest(ctx, lf, *provider, *publish)
	}
	if err != nil {
		return err
	}
	return writeJSON(env.Stdout, d)
}

func localDigest(ctx context.Context, lf *ledgerFlags, provider string, publish bool) (events.Digest, error) {
	st, err := openStore(ctx, lf)
	if err != nil {
		return events.Digest{}, err
	}
	defer st.Close()
	head, err := st.Head(ctx, provider)
	if err != nil {
		return events.Digest{}, err
	}
	if head.Position == 0 {
		return events.Digest{}, fmt.Errorf("provider %s has no events", provider)
	}
	if !publish {
		return events.ExportDigest(ctx, st, provider, nowUTC())
	}
	feed, err := wsta.New(ctx, st, st.JetStream(), wsta.Options{Stream: natsauth.FeedStream, Replicas: replicasOf(st)})
	if err != nil {
		return events.Digest{}, err
	}
	return feed.PublishDigest(ctx, provider)
}
