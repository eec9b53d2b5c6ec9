// Package refusals records the requests the API and the dashboard refuse for lack of permission,
// outside every provider's history: one record per token, provider and route for each interval,
// with a count and the first and last instant, in the JetStream stream WSLEDGER_REFUSALS. A
// token refused more than a limit within an interval is answered 429 until the interval ends,
// and still counted. Nothing a token does can grow another provider's chain.
package refusals

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/auth"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/natsauth"
	"github.com/wsledger/wsledger/events"
)

// Defaults of Options.
const (
	DefaultInterval = time.Minute
	DefaultLimit    = 30
)

// Record is one aggregate: the refusals of one token, for one provider and route, within one
// interval. It carries no personal data: the token's id (not the token), its staff id and role.
type Record struct {
	TokenID  string    `json:"token_id"`
	StaffID  string    `json:"staff_id"`
	Role     string    `json:"role"`
	Provider string    `json:"provider"`
	Route    string    `json:"route"`
	Reason   string    `json:"reason"`
	Count    int       `json:"count"`
	First    time.Time `json:"first"`
	Last     time.Time `json:"last"`
}

// Options configure a Recorder.
type Options struct {
	Replicas int           // of the stream; default 1
	Interval time.Duration // aggregation and rate-limit window; default DefaultInterval
	Limit    int           // refusals of one token per interval before 429; default DefaultLimit
	Now      func() time.Time
	Logger   *slog.Logger
}

// Recorder aggregates refusals in memory and writes them to the stream at the end of each
// interval (Run), before a read (Read) and at shutdown.
type Recorder struct {
	js   jetstream.JetStream
	opts Options

	mu      sync.Mutex
	pending map[key]*Record
	window  time.Time      // start of the current rate-limit interval
	counts  map[string]int // refusals per token id in the window
}

type key struct{ token, provider, route string }

// Open creates (or opens) the refusals stream.
func Open(ctx context.Context, js jetstream.JetStream, o Options) (*Recorder, error) {
	if o.Replicas == 0 {
		o.Replicas = 1
	}
	if o.Interval == 0 {
		o.Interval = DefaultInterval
	}
	if o.Limit == 0 {
		o.Limit = DefaultLimit
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	_, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name: natsauth.RefusalStream, Description: "wsledger: refusals for lack of permission, aggregated per token, provider and route",
		Subjects: []string{natsauth.RefusalSubjects}, Storage: jetstream.FileStorage, Replicas: o.Replicas,
		DenyDelete: true, DenyPurge: true, Discard: jetstream.DiscardNew,
	})
	if err != nil {
		return nil, fmt.Errorf("open the refusals stream: %w", err)
	}
	return &Recorder{js: js, opts: o, pending: map[key]*Record{}, counts: map[string]int{}}, nil
}

// Refuse counts a refusal and says how long the token must wait when it has passed the limit
// of its interval (0 otherwise). provider is "" for a refusal aimed at no provider.
func (r *Recorder) Refuse(p auth.Principal, provider, route, reason string) time.Duration {
	now := r.opts.Now()
	r.mu.Lock()
	defer r.mu.Unlock()
	if now.Sub(r.window) >= r.opts.Interval {
		r.window, r.counts = now.Truncate(r.opts.Interval), map[string]int{}
	}
	r.counts[p.TokenID]++
	k := key{p.TokenID, provider, route}
	rec, ok := r.pending[k]
	if !ok {
		rec = &Record{TokenID: p.TokenID, StaffID: p.StaffID, Role: p.Role, Provider: provider, Route: route, Reason: reason, First: now}
		r.pending[k] = rec
	}
	rec.Count++
	rec.Last = now
	if r.counts[p.TokenID] > r.opts.Limit {
		return r.window.Add(r.opts.Interval).Sub(now)
	}
	return 0
}

// Run writes the pending records at the end of every interval until ctx ends, then once more.
func (r *Recorder) Run(ctx context.Context) {
	tick := time.NewTicker(r.opts.Interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			if err := r.Flush(context.WithoutCancel(ctx)); err != nil {
				r.opts.Logger.Warn("could not record refusals", slog.Any("err", err))
			}
			return
		case <-tick.C:
			if err := r.Flush(ctx); err != nil {
				r.opts.Logger.Warn("could not record refusals", slog.Any("err", err))
			}
		}
	}
}

// Flush writes the pending records, each as one message on refusals.<provider>; a record that
// cannot be written stays pending.
func (r *Recorder) Flush(ctx context.Context) error {
	r.mu.Lock()
	recs := make([]*Record, 0, len(r.pending))
	for k, rec := range r.pending {
		recs = append(recs, rec)
		delete(r.pending, k)
	}
	r.mu.Unlock()
	var errs []error
	for _, rec := range recs {
		data, _ := json.Marshal(rec)
		if _, err := r.js.Publish(ctx, subject(rec.Provider), data); err != nil {
			errs = append(errs, err)
			r.mu.Lock()
			r.pending[key{rec.TokenID, rec.Provider, rec.Route}] = rec
			r.mu.Unlock()
		}
	}
	return errors.Join(errs...)
}

func subject(provider string) string {
	if events.CheckProvider(provider) != nil {
		return "refusals._"
	}
	return "refusals." + provider
}

// Read writes the pending records and returns every record of a provider (every provider's for
// auth.AllProviders), oldest first.
func (r *Recorder) Read(ctx context.Context, provider string) ([]Record, error) {
	if err := r.Flush(ctx); err != nil {
		return nil, events.Errorf(events.Unavailable, "", "The refusals could not be written: %v", err)
	}
	filter := natsauth.RefusalSubjects
	if provider != auth.AllProviders {
		filter = subject(provider)
	}
	c, err := r.js.OrderedConsumer(ctx, natsauth.RefusalStream, jetstream.OrderedConsumerConfig{FilterSubjects: []string{filter}})
	if err != nil {
		return nil, err
	}
	out := []Record{}
	for {
		info, err := c.Info(ctx)
		if err != nil {
			return nil, err
		}
		if info.NumPending == 0 {
			break
		}
		batch, err := c.Fetch(int(min(info.NumPending, 256)), jetstream.FetchMaxWait(5*time.Second))
		if err != nil {
			return nil, err
		}
		for m := range batch.Messages() {
			var rec Record
			if json.Unmarshal(m.Data(), &rec) == nil {
				out = append(out, rec)
			}
		}
		if err := batch.Error(); err != nil {
			return nil, err
		}
	}
	slices.SortStableFunc(out, func(a, b Record) int { return a.First.Compare(b.First) })
	return out, nil
}
