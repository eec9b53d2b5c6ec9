package bench

import (
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/ledger"
	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/events/logtest"
	"github.com/wsledger/wsledger/events/natslog"
)

// BenchmarkSubmit is commands through the whole write path, from one writer and from 16 (one
// provider each, as workloads 1 and 2), for profiling (go test -bench Submit -cpuprofile
// cpu.out). It reports the process's CPU per command, which moves less than the rate when the
// machine is shared.
func BenchmarkSubmit(b *testing.B) {
	for _, writers := range []int{1, 16} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			log, err := natslog.Open(b.Context(), natslog.Options{DataDir: b.TempDir()})
			if err != nil {
				b.Fatal(err)
			}
			defer log.Close()
			svc := ledger.New(log, domain.DefaultPolicy(), time.Now)
			ws := make([]*workload, writers)
			for i := range ws {
				ws[i] = newWorkload(fmt.Sprintf("prof%02d", i), uint64(i+1), domain.Date{Year: 2020, Month: time.January, Day: 2})
			}
			before := logtest.ProcessCPU()
			b.ResetTimer()
			if _, err := spread(writers, b.N, func(w int) error {
				_, err := svc.Submit(b.Context(), ws[w].next())
				return err
			}); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(logtest.ProcessCPU()-before)/float64(b.N)/1e3, "cpu-µs/op")
		})
	}
}

// benchDataset is a data set built earlier with bench --dir (its dataset directory), for
// profiling workload 6 at full size.
var benchDataset = flag.String("bench.dataset", "", "the dataset directory of an earlier bench --dir run, for BenchmarkLatency and BenchmarkRebuild")

// benchmarkDataset returns the data set -bench.dataset names, or builds a short one.
func benchmarkDataset(b *testing.B) *dataset {
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
	return &dataset{dir: dir, focus: "focus", events: size.Events}
}

// benchmarkLog opens benchmarkDataset's log for the benchmark's duration.
func benchmarkLog(b *testing.B) (*dataset, *natslog.Log) {
	ds := benchmarkDataset(b)
	log, err := natslog.Open(b.Context(), natslog.Options{DataDir: ds.dir})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { log.Close() })
	return ds, log
}

// BenchmarkRebuild is workload 4's rebuild of every projection, without the raw read beside it,
// on a data set built by an earlier run (-bench.dataset DIR/dataset) or on a short one: its rate,
// and the process's CPU and allocations per event, which move less than the rate on a shared
// machine (go test -bench Rebuild -benchmem -cpuprofile cpu.out).
func BenchmarkRebuild(b *testing.B) {
	ds, log := benchmarkLog(b)
	for b.Loop() {
		var m0, m1 runtime.MemStats
		var cpu time.Duration
		runtime.ReadMemStats(&m0)
		start := logtest.ProcessCPU()
		elapsed, err := rebuildAll(b.Context(), log, ds.events, func() {
			cpu = logtest.ProcessCPU() - start
			runtime.ReadMemStats(&m1)
		})
		if err != nil {
			b.Fatal(err)
		}
		n := float64(ds.events)
		b.ReportMetric(n/elapsed.Seconds(), "events/s")
		b.ReportMetric(float64(cpu)/n/1e3, "cpu-µs/event")
		b.ReportMetric(float64(m1.Mallocs-m0.Mallocs)/n, "allocs/event")
		b.ReportMetric(float64(m1.TotalAlloc-m0.TotalAlloc)/n, "B/event")
		b.ReportMetric(float64(m1.NumGC-m0.NumGC), "collections")
	}
}

// BenchmarkRawRead is workload 4's raw side alone: the ordered read of every event of the data
// set that the rebuild is compared with, and the process's CPU per event, which divided by
// BenchmarkRebuild's is the ratio two busy cores allow.
func BenchmarkRawRead(b *testing.B) {
	ds, log := benchmarkLog(b)
	for b.Loop() {
		start := logtest.ProcessCPU()
		elapsed, err := rawRead(b.Context(), log.JetStream(), log.StreamName(), events.SubjectPrefix+".>")
		if err != nil {
			b.Fatal(err)
		}
		cpu := logtest.ProcessCPU() - start
		n := float64(ds.events)
		b.ReportMetric(n/elapsed.Seconds(), "events/s")
		b.ReportMetric(float64(cpu)/n/1e3, "cpu-µs/event")
	}
}

var latencyRequests = flag.Int("bench.requests", 10_000, "requests per latency measure of BenchmarkLatency")

// BenchmarkLatency is workload 6 (the deadline view and the overview page with 50 clients) on a
// data set built by an earlier run (-bench.dataset DIR/dataset) or on a short one, for
// profiling (go test -bench Latency -cpuprofile cpu.out).
func BenchmarkLatency(b *testing.B) {
	ds := benchmarkDataset(b)
	for b.Loop() {
		l, err := measureLatencies(b.Context(), ds, 50, *latencyRequests, time.Second)
		if err != nil {
			b.Fatal(err)
		}
		ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
		for i, load := range []string{"saturating", "paced"} {
			for name, l := range map[string]latency{"deadlines": l.deadlines[i], "overview": l.overview[i], "healthz": l.healthz[i]} {
				b.ReportMetric(ms(l.p50), name+"-"+load+"-p50-ms")
				b.ReportMetric(ms(l.p99), name+"-"+load+"-p99-ms")
			}
		}
	}
}

// BenchmarkLatencyWhileWriting measures the overview page paced as workload 6 does while client
// calls are recorded for the same provider, one and five a second (workload 8 sends 20 commands
// a second), for profiling. It appends to the data set, so it works on a copy of the kept one
// (-bench.dataset DIR/dataset) in a temporary directory.
func BenchmarkLatencyWhileWriting(b *testing.B) {
	ds := benchmarkDataset(b)
	if *benchDataset != "" {
		dir := filepath.Join(b.TempDir(), "dataset")
		if err := os.CopyFS(dir, os.DirFS(ds.dir)); err != nil {
			b.Fatal(err)
		}
		ds.dir = dir
	}
	for b.Loop() {
		sv, err := serveDataset(b.Context(), ds, 50)
		if err != nil {
			b.Fatal(err)
		}
		calls := 0
		record := func() error {
			calls++
			at := time.Now().UTC().Format(time.RFC3339)
			_, err := sv.svc.Submit(b.Context(), fmt.Appendf(nil, `{"type":"ReceiveClientCall","provider":%q,"idempotency_key":"while-writing-%d-%d","actor":{"staff_id":"cm1","role":"case_manager"},"occurred_at":%q,"concern_id":"WW%d-%d","client_number":"12345678","summary":"benefit amount questioned"}`,
				ds.focus, time.Now().UnixNano(), calls, at, time.Now().UnixNano(), calls))
			return err
		}
		if err := record(); err != nil { // the service's first command loads the provider
			b.Fatal(err)
		}
		load := loadTest{c: sv.browser, newReq: func() (*http.Request, error) { return http.NewRequest("GET", sv.base+"/providers/"+ds.focus, nil) }, clients: 50}
		if _, err := load.closed(time.Second, 0); err != nil {
			b.Fatal(err)
		}
		for _, perSecond := range []int{1, 5} {
			stop, recorded := make(chan struct{}), make(chan error, 1)
			go func() {
				tick := time.NewTicker(time.Second / time.Duration(perSecond))
				defer tick.Stop()
				for {
					select {
					case <-stop:
						recorded <- nil
						return
					case <-tick.C:
						if err := record(); err != nil {
							recorded <- err
							return
						}
					}
				}
			}()
			l, err := load.paced(pacedRate, *latencyRequests)
			close(stop)
			if werr := <-recorded; err == nil {
				err = werr
			}
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(l.p50)/float64(time.Millisecond), fmt.Sprintf("writes-%d/s-p50-ms", perSecond))
			b.ReportMetric(float64(l.p99)/float64(time.Millisecond), fmt.Sprintf("writes-%d/s-p99-ms", perSecond))
		}
		sv.close()
	}
}
