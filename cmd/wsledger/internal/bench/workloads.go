package bench

import "github.com/wsledger/wsledger/events/natslog"

// workloads lists the pairs in the order the issue names them.
func workloads(cfg Config) []workloadRun {
	ops := 200_000
	if cfg.Short {
		ops = 2_000
	}
	return []workloadRun{
		{"1 appends, 1 writer", appendPair(1, ops/4, natslog.SyncDefault, 0.8)},
		{"2 appends, 16 writers", appendPair(16, ops, natslog.SyncDefault, 0.8)},
		{"3 durable appends, 16 writers (fsync always)", appendPair(16, ops/4, natslog.SyncAlways, 0)},
	}
}
