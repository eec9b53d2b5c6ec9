package bench

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/api"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/auth"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/ledger"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/web"
	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events/natslog"
	"github.com/wsledger/wsledger/projections"
	"github.com/wsledger/wsledger/projections/runner"
)

// pacedRate is the rate, in requests a second over all clients, of the paced latency measures:
// 50 dashboard users each reading 20 pages a second, far above what people click, well below
// what saturates two cores.
const pacedRate = 1_000

// latencies is what workload 6 measures: the deadline view and the overview page, each with
// the clients saturating the server (each sends its next request as soon as the last is
// answered) and paced (each at a fixed rate, timed from when the request was due), beside the
// same server's /healthz under the same load.
type latencies struct {
	deadlines, overview, healthz [2]latency // [saturating, paced]
}

// pairs returns workload 6's four rows: deadline view saturating and paced, overview page
// saturating and paced.
func (l latencies) pairs() [4]Pair {
	return [4]Pair{
		latencyPair(l.deadlines[0], l.healthz[0]), latencyPair(l.deadlines[1], l.healthz[1]),
		latencyPair(l.overview[0], l.healthz[0]), latencyPair(l.overview[1], l.healthz[1]),
	}
}

// measureLatencies serves the dataset through the real API and dashboard on a loopback port
// and measures, with clients concurrent clients and requests requests per measure, the
// deadline view (GET /v1/deadlines), the overview page and /healthz, which does no work: the
// floor of HTTP on this machine. Each endpoint is warmed up first (connections opened, the
// views' first read after loading computed, the collector's work from loading done).
func measureLatencies(ctx context.Context, ds *dataset, clients, requests int, warmUp time.Duration) (latencies, error) {
	var l latencies
	sv, err := serveDataset(ctx, ds, clients)
	if err != nil {
		return l, err
	}
	defer sv.close()
	base, token, client, browser := sv.base, sv.token, sv.client, sv.browser

	bearer := func(path string) func() (*http.Request, error) {
		return func() (*http.Request, error) {
			req, err := http.NewRequest("GET", base+path, nil)
			if err == nil {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			return req, err
		}
	}
	endpoints := []struct {
		c      *http.Client
		newReq func() (*http.Request, error)
		into   *[2]latency
	}{
		{client, bearer("/healthz"), &l.healthz},
		{client, bearer("/v1/deadlines?provider=" + ds.focus), &l.deadlines},
		{browser, func() (*http.Request, error) { return http.NewRequest("GET", base+"/providers/"+ds.focus, nil) }, &l.overview},
	}
	for _, e := range endpoints {
		load := loadTest{c: e.c, newReq: e.newReq, clients: clients}
		if _, err := load.closed(warmUp, 0); err != nil {
			return l, err
		}
		if e.into[0], err = load.closed(0, requests); err != nil {
			return l, err
		}
		if e.into[1], err = load.paced(pacedRate, requests); err != nil {
			return l, err
		}
	}
	return l, nil
}

// served is a data set served through the real API and dashboard on a loopback port, as serve
// runs them: the views kept by their runner, the ledger service, watched tokens.
type served struct {
	base, token string
	svc         *ledger.Service
	client      *http.Client // sends the token as a bearer token
	browser     *http.Client // signed in to the dashboard
	close       func()
}

// serveDataset serves ds once its views have caught up, with a program manager's token for the
// focus provider and HTTP clients for clients concurrent requests.
func serveDataset(ctx context.Context, ds *dataset, clients int) (_ *served, err error) {
	var closers []func()
	sv := &served{close: func() {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
	}}
	defer func() {
		if err != nil {
			sv.close()
		}
	}()
	log, err := natslog.Open(ctx, natslog.Options{DataDir: ds.dir})
	if err != nil {
		return nil, err
	}
	closers = append(closers, func() { log.Close() })
	policy := domain.DefaultPolicy()
	views := projections.New(log, policy)
	r := views.Runner(log.JetStream(), runner.Options{Bucket: "bench_rebuild"})
	runCtx, stop := context.WithCancel(ctx)
	closers = append(closers, stop)
	go r.Run(runCtx)
	if err := r.WaitFor(ctx, ds.events); err != nil {
		return nil, err
	}
	tokens, err := auth.OpenTokens(ctx, log.JetStream(), 1, time.Now)
	if err != nil {
		return nil, err
	}
	go tokens.Watch(runCtx) // as serve does
	if sv.token, _, err = tokens.Create(ctx, auth.Grant{StaffID: "pm1", Role: "program_manager", Provider: ds.focus}); err != nil {
		return nil, err
	}
	sv.svc = ledger.New(log, policy, time.Now)
	srv := api.New(api.Config{Log: log, Service: sv.svc, Tokens: tokens, Views: views, JetStream: log.JetStream()})
	srv.Handle("/", web.New(web.Config{Views: views, Applied: r.WaitFor, Service: sv.svc, Tokens: tokens, Policy: policy}))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	hs := &http.Server{Handler: srv}
	go hs.Serve(ln)
	closers = append(closers, func() { hs.Close() })
	sv.base = "http://" + ln.Addr().String()
	sv.client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	jar, _ := cookiejar.New(nil)
	sv.browser = &http.Client{Jar: jar, Transport: sv.client.Transport}
	resp, err := sv.browser.PostForm(sv.base+"/login", url.Values{"token": {sv.token}})
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	return sv, nil
}

type latency struct{ p50, p99 time.Duration }

func latencyPair(l, floor latency) Pair {
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	return Pair{
		Ledger: Measure{ms(l.p99), "ms"}, Raw: Measure{ms(floor.p99), "ms"},
		Target: fmt.Sprintf("p99 < 5 ms (p50 %.2f ms)", ms(l.p50)), Met: l.p99 < 5*time.Millisecond,
	}
}

// loadTest sends one kind of request from concurrent clients.
type loadTest struct {
	c       *http.Client
	newReq  func() (*http.Request, error)
	clients int
}

// closed has every client send its next request as soon as the last one is answered, for
// duration or until requests requests were sent, and returns the p50 and p99 of their
// latencies.
func (t loadTest) closed(duration time.Duration, requests int) (latency, error) {
	var deadline time.Time
	if duration > 0 {
		deadline = time.Now().Add(duration)
	}
	var mu sync.Mutex
	sent := 0
	return t.run(func(int) (time.Time, bool) {
		if !deadline.IsZero() {
			return time.Now(), time.Now().Before(deadline)
		}
		mu.Lock()
		defer mu.Unlock()
		sent++
		return time.Now(), sent <= requests
	})
}

// paced has the clients send requests requests at rate requests a second in all, each client
// on its own fixed schedule, and times each from the instant it was due rather than sent, so
// that a slow answer delaying the next request counts against the server.
func (t loadTest) paced(rate, requests int) (latency, error) {
	interval := time.Duration(t.clients) * time.Second / time.Duration(rate)
	start := time.Now()
	perClient := make([]int, t.clients)
	return t.run(func(c int) (time.Time, bool) {
		k := perClient[c]
		perClient[c]++
		if k*t.clients+c >= requests {
			return time.Time{}, false
		}
		due := start.Add(time.Duration(k)*interval + time.Duration(c)*interval/time.Duration(t.clients))
		time.Sleep(time.Until(due))
		return due, true
	})
}

// run starts the clients; each asks next for the instant its next request counts from, until
// next says stop, and sends it. It returns the p50 and p99 of the latencies.
func (t loadTest) run(next func(client int) (time.Time, bool)) (latency, error) {
	var mu sync.Mutex
	var took []time.Duration
	var wg sync.WaitGroup
	errs := make(chan error, t.clients)
	for c := range t.clients {
		wg.Go(func() {
			for {
				from, ok := next(c)
				if !ok {
					return
				}
				req, err := t.newReq()
				if err == nil {
					err = t.send(req)
				}
				if err != nil {
					errs <- err
					return
				}
				d := time.Since(from)
				mu.Lock()
				took = append(took, d)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return latency{}, err
	}
	if len(took) == 0 {
		return latency{}, fmt.Errorf("no requests were sent")
	}
	slices.Sort(took)
	return latency{p50: took[len(took)/2], p99: took[len(took)*99/100]}, nil
}

// send sends req and reads the whole answer, which must be 200 OK.
func (t loadTest) send(req *http.Request) error {
	resp, err := t.c.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", req.URL.Path, resp.Status)
	}
	return nil
}
