package projections

import (
	"context"
	"maps"
	"slices"
	"sync"
)

// Watch returns a channel that receives a provider's id whenever its views change (an event
// applied, a snapshot loaded), until ctx ends; then the channel is closed. Changes are coalesced:
// a provider that changes many times before the receiver reads gets one notice, and none is lost.
// The runner never waits for a slow receiver. Views that depend on the time (deadlines becoming
// overdue) change without an event: refresh those on a timer as well.
func (v *Views) Watch(ctx context.Context) <-chan string {
	w := &watch{pending: map[string]bool{}, wake: make(chan struct{}, 1)}
	v.watches.add(w)
	out := make(chan string)
	go func() {
		defer close(out)
		defer v.watches.remove(w)
		for {
			select {
			case <-ctx.Done():
				return
			case <-w.wake:
			}
			for _, p := range w.take() {
				select {
				case out <- p:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out
}

type watches struct {
	mu  sync.Mutex
	set map[*watch]struct{}
}

// watch is one Watch call: the providers changed and not yet sent, and a signal that there are.
type watch struct {
	mu      sync.Mutex
	pending map[string]bool
	wake    chan struct{}
}

func (ws *watches) add(w *watch) {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	ws.set[w] = struct{}{}
}

func (ws *watches) remove(w *watch) {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	delete(ws.set, w)
}

// notify marks a provider changed for every watch, without blocking.
func (ws *watches) notify(provider string) {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	for w := range ws.set {
		w.mu.Lock()
		w.pending[provider] = true
		w.mu.Unlock()
		select {
		case w.wake <- struct{}{}:
		default:
		}
	}
}

// take returns the pending providers, sorted, and clears them.
func (w *watch) take() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := slices.Sorted(maps.Keys(w.pending))
	clear(w.pending)
	return out
}
