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

// latencyPairs serves the dataset through the real API and dashboard on a loopback port and
// measures the deadline view (GET /v1/deadlines) and the overview page with clients concurrent
// requests each, beside the same server's /healthz, which does no work: the floor of HTTP on
// this machine.
func latencyPairs(ds *dataset, clients, requests int, overview *Pair) func(context.Context, Config) (Pair, error) {
	return func(ctx context.Context, cfg Config) (Pair, error) {
		log, err := natslog.Open(ctx, natslog.Options{DataDir: ds.dir})
		if err != nil {
			return Pair{}, err
		}
		defer log.Close()
		policy := domain.DefaultPolicy()
		views := projections.New(log, policy)
		r := views.Runner(log.JetStream(), runner.Options{Bucket: "bench_rebuild"})
		runCtx, stop := context.WithCancel(ctx)
		defer stop()
		go r.Run(runCtx)
		if err := r.WaitFor(ctx, ds.events); err != nil {
			return Pair{}, err
		}
		tokens, err := auth.OpenTokens(ctx, log.JetStream(), 1, time.Now)
		if err != nil {
			return Pair{}, err
		}
		token, _, err := tokens.Create(ctx, auth.Grant{StaffID: "pm1", Role: "program_manager", Provider: ds.focus})
		if err != nil {
			return Pair{}, err
		}
		svc := ledger.New(log, policy, time.Now)
		srv := api.New(api.Config{Log: log, Service: svc, Tokens: tokens, Views: views, JetStream: log.JetStream()})
		srv.Handle("/", web.New(web.Config{Views: views, Applied: r.WaitFor, Service: svc, Tokens: tokens, Policy: policy}))
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return Pair{}, err
		}
		hs := &http.Server{Handler: srv}
		go hs.Serve(ln)
		defer hs.Close()
		base := "http://" + ln.Addr().String()
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}

		bearer := func(path string) func() (*http.Request, error) {
			return func() (*http.Request, error) {
				req, err := http.NewRequest("GET", base+path, nil)
				if err == nil {
					req.Header.Set("Authorization", "Bearer "+token)
				}
				return req, err
			}
		}
		floor, err := percentiles(client, clients, requests, bearer("/healthz"))
		if err != nil {
			return Pair{}, err
		}
		deadlines, err := percentiles(client, clients, requests, bearer("/v1/deadlines?provider="+ds.focus))
		if err != nil {
			return Pair{}, err
		}
		jar, _ := cookiejar.New(nil)
		browser := &http.Client{Jar: jar, Transport: client.Transport}
		resp, err := browser.PostForm(base+"/login", url.Values{"token": {token}})
		if err != nil {
			return Pair{}, err
		}
		resp.Body.Close()
		page, err := percentiles(browser, clients, requests, func() (*http.Request, error) {
			return http.NewRequest("GET", base+"/providers/"+ds.focus, nil)
		})
		if err != nil {
			return Pair{}, err
		}
		*overview = latencyPair(page, floor)
		return latencyPair(deadlines, floor), nil
	}
}

type latency struct{ p50, p99 time.Duration }

func latencyPair(l, floor latency) Pair {
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	return Pair{
		Ledger: Measure{ms(l.p99), "ms"}, Raw: Measure{ms(floor.p99), "ms"},
		Target: fmt.Sprintf("p99 < 5 ms (p50 %.2f ms)", ms(l.p50)), Met: l.p99 < 5*time.Millisecond,
	}
}

// percentiles sends requests requests from clients goroutines and returns p50 and p99. One
// request per client goes first, untimed: it opens the client's connection, and the first read
// after the views changed computes what the following ones share (docs/benchmarks.md gives its
// cost).
func percentiles(c *http.Client, clients, requests int, newReq func() (*http.Request, error)) (latency, error) {
	var mu sync.Mutex
	var took []time.Duration
	timed := false
	send := func(int) error {
		req, err := newReq()
		if err != nil {
			return err
		}
		start := time.Now()
		resp, err := c.Do(req)
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		d := time.Since(start)
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("%s: %s", req.URL.Path, resp.Status)
		}
		if timed {
			mu.Lock()
			took = append(took, d)
			mu.Unlock()
		}
		return nil
	}
	if _, err := spread(clients, clients, send); err != nil {
		return latency{}, err
	}
	timed = true
	if _, err := spread(clients, requests, send); err != nil {
		return latency{}, err
	}
	slices.Sort(took)
	return latency{p50: took[len(took)/2], p99: took[len(took)*99/100]}, nil
}
