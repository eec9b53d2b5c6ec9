package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// Config sizes a run. Short runs take seconds and keep the harness from rotting in CI; the full
// run takes minutes and gives the figures in docs/benchmarks.md.
type Config struct {
	Short bool
	// Dir holds the stores each workload creates; a temporary directory when empty. The data
	// set of workloads 4 to 6 stays in it, and a later run with the same Dir and Events reuses it.
	Dir string
	// Only, when not empty, names the workloads to run by number ("4", "5"); the others are
	// skipped. Workload 7 needs 4.
	Only []string
	// Progress, when set, receives a line as each workload starts and its result when it ends.
	Progress io.Writer
	// Events sizes the ledger of workloads 4 to 7 (default 1,000,000; 10% of it the replayed
	// provider's); Requests is the number of requests per latency measure (default 10,000: the
	// paced ones then last ten seconds, several times the interval between two collections of
	// the projections' heap, so that the p99 counts them).
	Events, Requests int
}

// Pair is one workload measured for wsledger and for raw JetStream.
type Pair struct {
	Workload string
	Ledger   Measure
	Raw      Measure
	// Target is the goal for Ledger/Raw (or an absolute goal), as text; Met says whether it was.
	Target string
	Met    bool
	// Outside says the target compares with something this run does not measure (PostgreSQL),
	// so Met is not judged here.
	Outside bool
}

// Measure is one side of a pair.
type Measure struct {
	Value float64
	Unit  string // "appends/s", "events/s", "ms", "MB"
}

// Ratio returns Ledger/Raw for rates; for times and sizes it is Raw/Ledger, so above 1 is
// always "wsledger does better".
func (p Pair) Ratio() float64 {
	if p.Raw.Value == 0 || p.Ledger.Value == 0 {
		return 0
	}
	switch p.Ledger.Unit {
	case "ms", "MB", "s":
		return p.Raw.Value / p.Ledger.Value
	}
	return p.Ledger.Value / p.Raw.Value
}

// Run runs every workload in turn and returns the pairs.
func Run(ctx context.Context, cfg Config) ([]Pair, error) {
	if cfg.Dir == "" {
		dir, err := os.MkdirTemp("", "wsledger-bench-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
		cfg.Dir = dir
	}
	var pairs []Pair
	for _, w := range workloads(cfg) {
		if !selected(cfg.Only, w.name) {
			continue
		}
		if cfg.Progress != nil {
			fmt.Fprintf(cfg.Progress, "bench: %s\n", w.name)
		}
		p, err := w.run(ctx, cfg)
		if err != nil {
			return pairs, fmt.Errorf("%s: %w", w.name, err)
		}
		p.Workload = w.name
		pairs = append(pairs, p)
		if cfg.Progress != nil {
			fmt.Fprintf(cfg.Progress, "bench: %s: wsledger %s, raw %s, ratio %.2f\n", w.name, p.Ledger, p.Raw, p.Ratio())
		}
	}
	return pairs, nil
}

// selected reports whether a workload's name starts with one of the numbers in only, or only is
// empty.
func selected(only []string, name string) bool {
	number, _, _ := strings.Cut(name, " ")
	return len(only) == 0 || slices.Contains(only, number)
}

type workloadRun struct {
	name string
	run  func(context.Context, Config) (Pair, error)
}

// Print writes the pairs as a table, with the machine it ran on.
func Print(w io.Writer, pairs []Pair) {
	fmt.Fprintf(w, "wsledger bench, %s, %d CPUs, %s/%s, %s\n\n", time.Now().UTC().Format("2006-01-02"), runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version())
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "workload\twsledger\traw JetStream\tratio\ttarget\tmet")
	for _, p := range pairs {
		met := "no"
		switch {
		case p.Outside:
			met = "-"
		case p.Met:
			met = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.2f\t%s\t%s\n", p.Workload, p.Ledger, p.Raw, p.Ratio(), p.Target, met)
	}
	tw.Flush()
}

func (m Measure) String() string {
	if m.Value >= 100 {
		return fmt.Sprintf("%.0f %s", m.Value, m.Unit)
	}
	return fmt.Sprintf("%.2f %s", m.Value, m.Unit)
}
