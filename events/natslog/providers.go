package natslog

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/wsledger/wsledger/events"
)

// providerIndex remembers the providers with events up to a stream sequence. The stream has a
// subject per aggregate (about half a million at a million events, 8 s to list on two cores), so
// Providers lists them once and afterwards reads only the events appended since.
type providerIndex struct {
	mu   sync.Mutex
	set  map[string]bool // nil until the first listing
	upTo uint64          // every provider of the stream up to this sequence is in set
}

// deltaLimit is how many new events Providers reads before it lists the subjects again instead.
const deltaLimit = 20_000

// scanTimeout bounds a listing of every subject when the caller sets no deadline of its own;
// JetStream's default of 5 s is too short for a ledger of a million events.
const scanTimeout = 2 * time.Minute

// Providers implements events.Log.
func (l *Log) Providers(ctx context.Context) ([]string, error) {
	ps, err := l.providers(ctx)
	return ps, l.readAnswer(ctx, "providers", err)
}

func (l *Log) providers(ctx context.Context) ([]string, error) {
	ix := &l.provs
	ix.mu.Lock()
	defer ix.mu.Unlock()
	last, err := l.lastSequence(ctx)
	if err != nil {
		return nil, err
	}
	switch {
	case ix.set == nil || last < ix.upTo || last-ix.upTo > deltaLimit:
		if err := l.scanProviders(ctx, ix); err != nil {
			return nil, err
		}
	case last > ix.upTo:
		if err := l.readProviders(ctx, ix, last); err != nil {
			return nil, err
		}
	}
	return slices.Sorted(maps.Keys(ix.set)), nil
}

// scanProviders lists every subject of the stream. The stream's last sequence is read first, so
// that whatever the listing adds beyond it is only ever more than upTo promises.
func (l *Log) scanProviders(ctx context.Context, ix *providerIndex) error {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, scanTimeout)
		defer cancel()
	}
	last, err := l.lastSequence(ctx)
	if err != nil {
		return err
	}
	info, err := l.stream.Info(ctx, jetstream.WithSubjectFilter(events.SubjectPrefix+".>"))
	if err != nil {
		return fmt.Errorf("natslog: stream subjects: %w", err)
	}
	set := map[string]bool{}
	for subj := range info.State.Subjects {
		if parts := strings.SplitN(subj, ".", 3); len(parts) == 3 {
			set[parts[1]] = true
		}
	}
	ix.set, ix.upTo = set, last
	return nil
}

// readProviders adds the providers of the events after upTo, up to last.
func (l *Log) readProviders(ctx context.Context, ix *providerIndex, last uint64) error {
	for e, err := range l.Read(ctx, events.ReadOptions{From: ix.upTo + 1}) {
		if err != nil {
			// A damaged event still has a subject: list them all rather than fail.
			return l.scanProviders(ctx, ix)
		}
		ix.set[e.Provider] = true
		if e.Sequence >= last {
			break
		}
	}
	ix.upTo = last
	return nil
}
