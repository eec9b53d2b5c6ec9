package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/ledger"
	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/events/natslog"
)

// dataset is a ledger filled through the write path: one provider with focus events (the one
// replayed) and others sharing the rest, every command decided by the domain rules.
type dataset struct {
	dir    string
	focus  string
	events uint64
}

// datasetSize is what a data set was built for, saved beside it so that a later run with the
// same --dir and sizes reuses it instead of building it again.
type datasetSize struct {
	Total, Focus, Others int
	Events               uint64 // the stream's last sequence once built
}

// datasetFile names the file that records a finished data set in its directory.
const datasetFile = "dataset.json"

// buildDataset appends total events, focusEvents of them to the focus provider, from one
// writer per provider. A data set already built in dir for the same sizes is reused; one built
// for other sizes, or left unfinished, is removed and built again.
func buildDataset(ctx context.Context, dir string, total, focusEvents, others int) (*dataset, error) {
	want := datasetSize{Total: total, Focus: focusEvents, Others: others}
	if data, err := os.ReadFile(filepath.Join(dir, datasetFile)); err == nil {
		var got datasetSize
		if json.Unmarshal(data, &got) == nil && got.Events > 0 {
			want.Events = got.Events
			if got == want {
				return &dataset{dir: dir, focus: "focus", events: got.Events}, nil
			}
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	ds, err := appendDataset(ctx, dir, total, focusEvents, others)
	if err != nil {
		return nil, err
	}
	want.Events = ds.events
	data, err := json.Marshal(want)
	if err != nil {
		return nil, err
	}
	return ds, os.WriteFile(filepath.Join(dir, datasetFile), data, 0o644)
}

// appendDataset builds a data set in an empty dir through the write path.
func appendDataset(ctx context.Context, dir string, total, focusEvents, others int) (*dataset, error) {
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
				if err := submitRetrying(ctx, svc, w.next()); err != nil {
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

// submitRetrying submits one command, sending it again with its idempotency key while the store
// answers unavailable (a busy machine can time out a publish), as a client of the API would.
func submitRetrying(ctx context.Context, svc *ledger.Service, cmd []byte) error {
	const tries = 10
	for try := 1; ; try++ {
		_, err := svc.Submit(ctx, cmd)
		if err == nil || events.ErrorCode(err) != events.Unavailable || try == tries {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(try) * 100 * time.Millisecond):
		}
	}
}
