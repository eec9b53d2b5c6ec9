package bench

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/ledger"
	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events/natslog"
)

// dataset is a ledger filled through the write path: one provider with focus events (the one
// replayed) and others sharing the rest, every command decided by the domain rules.
type dataset struct {
	dir    string
	focus  string
	events uint64
}

// buildDataset appends total events, focusEvents of them to the focus provider, from one
// writer per provider.
func buildDataset(ctx context.Context, dir string, total, focusEvents, others int) (*dataset, error) {
	log, err := natslog.Open(ctx, natslog.Options{DataDir: dir})
	if err != nil {
		return nil, err
	}
	defer log.Close()
	svc := ledger.New(log, domain.DefaultPolicy(), time.Now)
	start := domain.Date{Year: 2010, Month: time.January, Day: 4}
	quota := map[string]int{"focus": focusEvents}
	for i := range others {
		quota[fmt.Sprintf("p%03d", i)] = (total - focusEvents) / others
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(quota))
	seed := uint64(0)
	for p, n := range quota {
		seed++
		w := newWorkload(p, seed, start)
		wg.Go(func() {
			for range n {
				if _, err := svc.Submit(ctx, w.next()); err != nil {
					errs <- fmt.Errorf("provider %s: %w", p, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return nil, err
	}
	last, err := log.LastSequence(ctx)
	if err != nil {
		return nil, err
	}
	return &dataset{dir: dir, focus: "focus", events: last}, nil
}
