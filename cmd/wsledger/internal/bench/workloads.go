package bench

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/wsledger/wsledger/events/natslog"
)

// workloads lists the pairs in the order the issue names them.
func workloads(cfg Config) []workloadRun {
	ops, total, focus, others := 200_000, 1_000_000, 100_000, 18
	if cfg.Short {
		ops, total, focus, others = 2_000, 6_000, 1_000, 4
	}
	var ds, small *dataset
	var memory Pair
	var latency [4]Pair
	requests, warmUp := 10_000, time.Second
	if cfg.Short {
		requests, warmUp = 500, 100*time.Millisecond
	}
	if cfg.Events > 0 {
		total, focus = cfg.Events, cfg.Events/10
	}
	if cfg.Requests > 0 {
		requests = cfg.Requests
	}
	// build builds the data set of workloads 4 to 6 once, for whichever of them runs first.
	build := func(ctx context.Context, cfg Config) (err error) {
		if ds == nil {
			ds, err = buildDataset(ctx, filepath.Join(cfg.Dir, "dataset"), total, focus, others)
		}
		return err
	}
	withDataset := func(run func(*dataset) func(context.Context, Config) (Pair, error)) func(context.Context, Config) (Pair, error) {
		return func(ctx context.Context, cfg Config) (Pair, error) {
			if err := build(ctx, cfg); err != nil {
				return Pair{}, err
			}
			return run(ds)(ctx, cfg)
		}
	}
	return []workloadRun{
		{"1 appends, 1 writer", appendPair(1, ops/4, natslog.SyncDefault, 0.8)},
		{"2 appends, 16 writers", appendPair(16, ops, natslog.SyncDefault, 0.8)},
		{"3 durable appends, 16 writers (fsync always)", appendPair(16, ops/4, natslog.SyncAlways, 0)},
		{"4 rebuild every projection", withDataset(func(ds *dataset) func(context.Context, Config) (Pair, error) {
			return rebuildPair(ds, &memory)
		})},
		{"5 as-of replay of one provider", withDataset(replayPair)},
		{"6 API p99, deadline view, 50 clients saturating (raw: /healthz)", withDataset(func(ds *dataset) func(context.Context, Config) (Pair, error) {
			return func(ctx context.Context, _ Config) (Pair, error) {
				l, err := measureLatencies(ctx, ds, 50, requests, warmUp)
				latency = l.pairs()
				return latency[0], err
			}
		})},
		{fmt.Sprintf("6 API p99, deadline view, 50 clients at %d requests/s (raw: /healthz)", pacedRate), kept(&latency[1])},
		{"6 dashboard p99, overview page, 50 clients saturating (raw: /healthz)", kept(&latency[2])},
		{fmt.Sprintf("6 dashboard p99, overview page, 50 clients at %d requests/s (raw: /healthz)", pacedRate), kept(&latency[3])},
		{"7 projections' heap (raw: the target)", kept(&memory)},
		{fmt.Sprintf("8 reads while writing, overview page at %d requests/s, %d commands/s to a provider of %d events (raw: /healthz)", pacedRate, writeRate, focus/10),
			func(ctx context.Context, cfg Config) (p Pair, err error) {
				if small == nil {
					small, err = buildDataset(ctx, filepath.Join(cfg.Dir, "dataset-small"), total/10, focus/10, others)
				}
				if err != nil {
					return Pair{}, err
				}
				return readsWhileWriting(ctx, small, cfg.Dir, requests, warmUp)
			}},
		{fmt.Sprintf("8 reads while writing, overview page at %d requests/s, %d commands/s to a provider of %d events (raw: /healthz)", pacedRate, writeRate, focus),
			withDataset(func(ds *dataset) func(context.Context, Config) (Pair, error) {
				return func(ctx context.Context, cfg Config) (Pair, error) {
					return readsWhileWriting(ctx, ds, cfg.Dir, requests, warmUp)
				}
			})},
	}
}

// kept returns a workload that reports a pair an earlier workload of the run measured.
func kept(p *Pair) func(context.Context, Config) (Pair, error) {
	return func(context.Context, Config) (Pair, error) { return *p, nil }
}
