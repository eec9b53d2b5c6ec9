package bench

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/ledger"
	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events/natslog"
)

// BenchmarkSubmit is one writer's commands through the whole write path, for profiling
// (go test -bench Submit -cpuprofile cpu.out).
func BenchmarkSubmit(b *testing.B) {
	log, err := natslog.Open(b.Context(), natslog.Options{DataDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer log.Close()
	svc := ledger.New(log, domain.DefaultPolicy(), time.Now)
	w := newWorkload("prof", 1, domain.Date{Year: 2020, Month: time.January, Day: 2})
	for b.Loop() {
		if _, err := svc.Submit(b.Context(), w.next()); err != nil {
			b.Fatal(err)
		}
	}
}

// benchDataset is a data set built earlier with bench --dir (its dataset directory), for
// profiling workload 6 at full size.
var benchDataset = flag.String("bench.dataset", "", "the dataset directory of an earlier bench --dir run, for BenchmarkLatency")

// BenchmarkLatency is workload 6 (the deadline view and the overview page with 50 clients) on a
// data set built by an earlier run (-bench.dataset DIR/dataset) or on a short one, for
// profiling (go test -bench Latency -cpuprofile cpu.out).
func BenchmarkLatency(b *testing.B) {
	dir := *benchDataset
	if dir == "" {
		dir = filepath.Join(b.TempDir(), "dataset")
		if _, err := buildDataset(b.Context(), dir, 6_000, 1_000, 4); err != nil {
			b.Fatal(err)
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, datasetFile))
	if err != nil {
		b.Fatal(err)
	}
	var size datasetSize
	if err := json.Unmarshal(data, &size); err != nil {
		b.Fatal(err)
	}
	ds := &dataset{dir: dir, focus: "focus", events: size.Events}
	for b.Loop() {
		l, err := measureLatencies(b.Context(), ds, 50, 2_000, time.Second)
		if err != nil {
			b.Fatal(err)
		}
		ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
		for i, load := range []string{"saturating", "paced"} {
			b.ReportMetric(ms(l.deadlines[i].p99), "deadlines-"+load+"-p99-ms")
			b.ReportMetric(ms(l.overview[i].p99), "overview-"+load+"-p99-ms")
			b.ReportMetric(ms(l.healthz[i].p99), "healthz-"+load+"-p99-ms")
		}
	}
}
