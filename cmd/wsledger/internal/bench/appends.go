package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats-server/v2/server"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/ledger"
	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events/natslog"
)

// appendPair measures commands through the whole write path (decode, validate, decide,
// hash, compare-and-set, idempotency key) against raw synchronous publishes of messages of the
// same size from the same number of goroutines, on stores with the same settings.
func appendPair(writers, ops int, sync natslog.Sync, target float64) func(context.Context, Config) (Pair, error) {
	return func(ctx context.Context, cfg Config) (Pair, error) {
		ledgerRate, size, err := ledgerAppends(ctx, store(cfg, "ledger"), writers, ops, sync)
		if err != nil {
			return Pair{}, err
		}
		rawRate, err := rawAppends(ctx, store(cfg, "raw"), writers, ops, size, sync)
		if err != nil {
			return Pair{}, err
		}
		p := Pair{Ledger: Measure{ledgerRate, "appends/s"}, Raw: Measure{rawRate, "appends/s"}, Target: fmt.Sprintf(">= %.1fx raw", target)}
		p.Met = p.Ratio() >= target
		if target == 0 {
			// Durable appends are judged against PostgreSQL, which the script beside
			// docs/benchmarks.md measures.
			p.Target, p.Outside = ">= 3x PostgreSQL (postgres-events.sh)", true
		}
		return p, nil
	}
}

var storeSeq int

func store(cfg Config, name string) string {
	storeSeq++
	return filepath.Join(cfg.Dir, fmt.Sprintf("%02d-%s", storeSeq, name))
}

// ledgerAppends runs ops commands over writers goroutines, one provider each, and returns the
// rate and the mean stored message size.
func ledgerAppends(ctx context.Context, dir string, writers, ops int, sync natslog.Sync) (float64, int, error) {
	log, err := natslog.Open(ctx, natslog.Options{DataDir: dir, Sync: sync})
	if err != nil {
		return 0, 0, err
	}
	defer os.RemoveAll(dir)
	defer log.Close()
	svc := ledger.New(log, domain.DefaultPolicy(), time.Now)
	ws := make([]*workload, writers)
	start := domain.Date{Year: 2010, Month: time.January, Day: 4}
	for i := range ws {
		ws[i] = newWorkload(fmt.Sprintf("w%02d", i), uint64(i), start)
		for range 3 { // registration, roster and caseload: set-up, not measured
			if _, err := svc.Submit(ctx, ws[i].next()); err != nil {
				return 0, 0, err
			}
		}
	}
	before, _ := log.LastSequence(ctx)
	elapsed, err := spread(writers, ops, func(w int) error {
		_, err := svc.Submit(ctx, ws[w].next())
		return err
	})
	if err != nil {
		return 0, 0, err
	}
	after, _ := log.LastSequence(ctx)
	info, err := log.JetStream().Stream(ctx, log.StreamName())
	if err != nil {
		return 0, 0, err
	}
	size := int(info.CachedInfo().State.Bytes / max(after, 1))
	return float64(after-before) / elapsed.Seconds(), size, nil
}

// rawAppends publishes ops messages of the given size synchronously over writers goroutines.
func rawAppends(ctx context.Context, dir string, writers, ops, size int, sync natslog.Sync) (float64, error) {
	// Raw JetStream's own fsync before every acknowledgement is the server's SyncAlways.
	log, err := natslog.Open(ctx, natslog.Options{DataDir: dir, ConfigureServer: func(o *server.Options) {
		o.SyncAlways = sync == natslog.SyncAlways
	}})
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	defer log.Close()
	js := log.JetStream()
	payload := make([]byte, max(size-60, 64)) // less the subject and headers JetStream stores
	for i := range payload {
		payload[i] = 'a' + byte(i%26)
	}
	elapsed, err := spread(writers, ops, func(w int) error {
		_, err := js.Publish(ctx, fmt.Sprintf("ledger.w%02d.concern.%s", w, uuid.NewString()), payload)
		return err
	})
	if err != nil {
		return 0, err
	}
	return float64(ops) / elapsed.Seconds(), nil
}

// spread runs op ops times over writers goroutines (writer w calls op(w)) and times it.
func spread(writers, ops int, op func(w int) error) (time.Duration, error) {
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	start := time.Now()
	for w := range writers {
		n := ops / writers
		if w < ops%writers {
			n++
		}
		wg.Go(func() {
			for range n {
				if err := op(w); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(errs)
	return elapsed, <-errs
}
