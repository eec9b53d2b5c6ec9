package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/bench"
)

func runBench(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "bench", "[--short] [--dir DIR] [--events N] [--requests N] [--only 4,5]",
		"measure wsledger beside raw JetStream in one run: appends (1 and 16 writers, and durable),\n"+
			"a rebuild of every projection, one provider's as-of replay, API and dashboard latency, the\n"+
			"projections' memory, and the dashboard read while its provider is written to; print each\n"+
			"pair with its ratio. The full run takes minutes and\n"+
			"needs a few GB of disk; --short takes seconds. See docs/benchmarks.md")
	short := fs.Bool("short", false, "run each workload for seconds, to check the harness")
	dir := fs.String("dir", "", "where the stores are created (default: a temporary directory, removed afterwards);\n"+
		"the read-side data set stays there and a later run with the same --dir and --events reuses it")
	size := fs.Int("events", 0, "events in the ledger of the read-side workloads (default 1,000,000)")
	requests := fs.Int("requests", 0, "requests per latency measure (default 10,000)")
	only := fs.String("only", "", "comma-separated workload numbers to run (default: all; 7 needs 4)")
	progress := fs.Bool("progress", false, "print each result to standard error as it comes, even when it is not a terminal")
	if err := parse(fs, args, false); err != nil {
		return err
	}
	cfg := bench.Config{Short: *short, Dir: *dir, Events: *size, Requests: *requests}
	if *only != "" {
		cfg.Only = strings.Split(*only, ",")
	}
	if *progress || newProgress(env).on {
		cfg.Progress = env.Stderr
	}
	pairs, err := bench.Run(ctx, cfg)
	bench.Print(env.Stdout, pairs)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	return nil
}
