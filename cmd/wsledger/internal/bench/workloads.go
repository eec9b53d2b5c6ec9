package bench

import (
	"context"
	"path/filepath"

	"github.com/wsledger/wsledger/events/natslog"
)

// workloads lists the pairs in the order the issue names them.
func workloads(cfg Config) []workloadRun {
	ops, total, focus, others := 200_000, 1_000_000, 100_000, 18
	if cfg.Short {
		ops, total, focus, others = 2_000, 6_000, 1_000, 4
	}
	var ds *dataset
	var memory, overview Pair
	requests := 2_000
	if cfg.Short {
		requests = 500
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
		{"6 API p99, deadline view, 50 clients (raw: /healthz)", withDataset(func(ds *dataset) func(context.Context, Config) (Pair, error) {
			return latencyPairs(ds, 50, requests, &overview)
		})},
		{"6 dashboard p99, overview page, 50 clients (raw: /healthz)", func(context.Context, Config) (Pair, error) { return overview, nil }},
		{"7 projections' heap (raw: the target)", func(context.Context, Config) (Pair, error) { return memory, nil }},
	}
}
