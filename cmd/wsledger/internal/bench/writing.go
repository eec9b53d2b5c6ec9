package bench

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/wsledger/wsledger/domain"
)

// writeRate is workload 8's rate of commands to the provider read, in commands a second.
const writeRate = 20

// readsWhileWriting is workload 8 on a data set: the overview page of its focus provider paced
// at pacedRate requests a second from 50 clients while writeRate commands a second go to that
// provider through the ledger service, and /healthz paced the same way under the same writes,
// measured one after the other in one run of one server. The writes append to the data set, so
// it works on a copy, removed afterwards.
func readsWhileWriting(ctx context.Context, ds *dataset, scratch string, requests int, warmUp time.Duration) (Pair, error) {
	dir := filepath.Join(scratch, fmt.Sprintf("writing-%d", ds.events))
	if err := os.RemoveAll(dir); err != nil {
		return Pair{}, err
	}
	if err := os.CopyFS(dir, os.DirFS(ds.dir)); err != nil {
		return Pair{}, err
	}
	defer os.RemoveAll(dir)
	copied := *ds
	copied.dir = dir
	sv, err := serveDataset(ctx, &copied, 50)
	if err != nil {
		return Pair{}, err
	}
	defer sv.close()

	w := &writer{sv: sv, provider: ds.focus, run: time.Now().UnixNano()}
	if err := w.next(ctx); err != nil { // the service's first command loads the provider
		return Pair{}, err
	}
	overview := loadTest{c: sv.browser, clients: 50, newReq: func() (*http.Request, error) {
		return http.NewRequest("GET", sv.base+"/providers/"+ds.focus, nil)
	}}
	healthz := loadTest{c: sv.client, clients: 50, newReq: func() (*http.Request, error) {
		return http.NewRequest("GET", sv.base+"/healthz", nil)
	}}
	for _, l := range []loadTest{healthz, overview} {
		if _, err := l.closed(warmUp, 0); err != nil {
			return Pair{}, err
		}
	}
	stop := w.start(ctx)
	floor, err := healthz.paced(pacedRate, requests)
	var page latency
	if err == nil {
		page, err = overview.paced(pacedRate, requests)
	}
	written, werr := stop()
	if err == nil {
		err = werr
	}
	if err != nil {
		return Pair{}, err
	}
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	return Pair{
		Ledger: Measure{ms(page.p99), "ms"}, Raw: Measure{ms(floor.p99), "ms"},
		Target: fmt.Sprintf("p99 < 10 ms (p50 %.2f ms; /healthz p50 %.2f ms; %d commands)", ms(page.p50), ms(floor.p50), written),
		Met:    page.p99 < 10*time.Millisecond,
	}, nil
}

// writer sends the commands of workload 8 to one provider: a client's call, its return and its
// resolution, an emergency disclosed and the client seen, each happening as it is sent.
type writer struct {
	sv       *served
	provider string
	run      int64 // tells this run's ids from an earlier run's on the same data set
	n        atomic.Int64
}

// next sends the next command.
func (w *writer) next(ctx context.Context) error {
	n := w.n.Add(1) - 1
	id := fmt.Sprintf("W%d-%d", w.run, n/5)
	var typ, role, staff, fields string
	switch n % 5 {
	case 0:
		typ, role, staff, fields = "ReceiveClientCall", "case_manager", "cm1", `"concern_id":"`+id+`","client_number":"12345678","summary":"benefit amount questioned"`
	case 1:
		typ, role, staff, fields = "ReturnClientCall", "case_manager", "cm1", `"concern_id":"`+id+`"`
	case 2:
		typ, role, staff, fields = "ResolveConcern", "supervisor", "sup1", `"concern_id":"`+id+`","clno_date":"`+time.Now().In(domain.Anchorage).Format(time.DateOnly)+`","summary":"explained the benefit calculation","level":"supervisor"`
	case 3:
		typ, role, staff, fields = "DiscloseEmergency", "case_manager", "cm2", `"emergency_id":"`+id+`","client_number":"12345678","track":"work_first"`
	case 4:
		typ, role, staff, fields = "SeeEmergencyClient", "case_manager", "cm2", `"emergency_id":"`+id+`"`
	}
	_, err := w.sv.svc.Submit(ctx, fmt.Appendf(nil, `{"type":%q,"provider":%q,"idempotency_key":"writing-%d-%d","actor":{"staff_id":%q,"role":%q},%s}`,
		typ, w.provider, w.run, n, staff, role, fields))
	return err
}

// start sends writeRate commands a second until the returned stop is called, which returns
// how many were sent and the first error.
func (w *writer) start(ctx context.Context) (stop func() (int64, error)) {
	done, result := make(chan struct{}), make(chan error, 1)
	before := w.n.Load()
	go func() {
		tick := time.NewTicker(time.Second / writeRate)
		defer tick.Stop()
		for {
			select {
			case <-done:
				result <- nil
				return
			case <-tick.C:
				if err := w.next(ctx); err != nil {
					result <- err
					return
				}
			}
		}
	}()
	return func() (int64, error) {
		close(done)
		err := <-result
		return w.n.Load() - before, err
	}
}
