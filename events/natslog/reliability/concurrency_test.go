package reliability

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/events/logtest"
	"github.com/wsledger/wsledger/events/natslog"
)

// writers is how many clients race in the concurrency tests.
const writers = 100

// topology is one or two ledger processes over one stream.
type topology struct {
	name string
	logs func(t *testing.T) []*natslog.Log
}

var topologies = []topology{
	{"one process", func(t *testing.T) []*natslog.Log {
		return []*natslog.Log{open(t, natslog.Options{DataDir: t.TempDir()})}
	}},
	{"two processes", func(t *testing.T) []*natslog.Log {
		a := open(t, natslog.Options{DataDir: t.TempDir(), Listen: "127.0.0.1:-1"})
		return []*natslog.Log{a, open(t, natslog.Options{URL: a.Server().ClientURL(), Replicas: 1})}
	}},
}

// target says which aggregate writer w appends to: all on one, or each on its own.
type target struct {
	name string
	agg  func(shared string, w int) string
}

var targets = []target{
	{"one aggregate", func(shared string, _ int) string { return shared }},
	{"one provider", func(string, int) string { return uuid.NewString() }},
}

// forEachSetup runs fn for every topology and target, with fresh logs and the aggregate each
// writer appends to.
func forEachSetup(t *testing.T, fn func(t *testing.T, logs []*natslog.Log, agg func(writer int) string)) {
	for _, topo := range topologies {
		for _, tg := range targets {
			t.Run(topo.name+"/"+tg.name, func(t *testing.T) {
				shared := uuid.NewString()
				fn(t, topo.logs(t), func(w int) string { return tg.agg(shared, w) })
			})
		}
	}
}

// update is an append that records the provider sequence it was decided on.
func update(agg string, after uint64) events.AppendRequest {
	d := note(agg, 0)
	d.Payload = json.RawMessage(fmt.Sprintf(`{"after":%d}`, after))
	return events.AppendRequest{Provider: "north", Actor: actor, ExpectedSeq: &after, Events: []events.Draft{d}}
}

// conflictAt returns the current sequence a conflict carries, failing the test on any other
// error.
func conflictAt(t *testing.T, err error) uint64 {
	t.Helper()
	var e *events.Error
	if !errors.As(err, &e) || e.Code != events.Conflict || e.Field != "expected_version" {
		t.Errorf("append with an expected sequence failed with %v (code %s), want a conflict on expected_version", err, events.ErrorCode(err))
		return 0
	}
	return e.Current
}

// TestOneWinnerPerVersion races 100 writers that all expect the same head, round after round:
// exactly one appends and the others get a conflict carrying the winner's sequence.
func TestOneWinnerPerVersion(t *testing.T) {
	rounds := scale(5, 30)
	forEachSetup(t, func(t *testing.T, logs []*natslog.Log, agg func(int) string) {
		var head uint64
		stale := 0 // conflicts that carried a sequence the stream had passed
		for round := range rounds {
			var mu sync.Mutex
			var wins []uint64
			var currents []uint64
			var wg sync.WaitGroup
			for w := range writers {
				wg.Go(func() {
					res, err := logs[w%len(logs)].Append(t.Context(), update(agg(w), head))
					mu.Lock()
					defer mu.Unlock()
					if err == nil {
						wins = append(wins, res[0].Events[0].Sequence)
						return
					}
					currents = append(currents, conflictAt(t, err))
				})
			}
			wg.Wait()
			if len(wins) != 1 {
				t.Fatalf("round %d: %d writers appended on sequence %d, want exactly one", round, len(wins), head)
			}
			head = wins[0]
			for _, c := range currents {
				switch {
				case c > head:
					t.Fatalf("round %d: a conflict carried sequence %d, beyond the head %d", round, c, head)
				case c < head:
					stale++
				}
			}
		}
		if n := verifyIntact(t, logs[0]); n != uint64(rounds) {
			t.Fatalf("verified %d events, want %d", n, rounds)
		}
		t.Logf("%d rounds of %d writers: one winner per version, %d conflicts, %d of them carrying a stale current sequence",
			rounds, writers, rounds*(writers-1), stale)
	})
}

// TestNoLostUpdates has 100 writers each make k read-modify-write updates: append on the head
// it knows, and on a conflict take the current sequence from the error and try again. Every
// update must be stored, and each must have been decided on the event just before it.
func TestNoLostUpdates(t *testing.T) {
	k := scale(3, 20)
	forEachSetup(t, func(t *testing.T, logs []*natslog.Log, agg func(int) string) {
		var mu sync.Mutex
		conflicts := 0
		var wg sync.WaitGroup
		for w := range writers {
			log := logs[w%len(logs)]
			agg := agg(w)
			wg.Go(func() {
				var head uint64
				for done := 0; done < k; {
					res, err := log.Append(t.Context(), update(agg, head))
					if err == nil {
						head = res[0].Events[0].Sequence
						done++
						continue
					}
					mu.Lock()
					conflicts++
					mu.Unlock()
					if head = conflictAt(t, err); t.Failed() {
						return
					}
				}
			})
		}
		wg.Wait()
		stored := logtest.ReadAll(t, logs[0], events.ReadOptions{Provider: "north"})
		if len(stored) != writers*k {
			t.Fatalf("stored %d updates, want %d: updates were lost", len(stored), writers*k)
		}
		var prev uint64
		for _, e := range stored {
			var p struct{ After uint64 }
			if err := json.Unmarshal(e.Payload, &p); err != nil {
				t.Fatal(err)
			}
			if p.After != prev {
				t.Fatalf("the update at sequence %d was decided on sequence %d, but the event before it is %d: a lost update", e.Sequence, p.After, prev)
			}
			prev = e.Sequence
		}
		if n := verifyIntact(t, logs[0]); n != uint64(writers*k) {
			t.Fatalf("verified %d events, want %d", n, writers*k)
		}
		t.Logf("%d writers x %d updates: %d stored, 0 lost, %d conflicts answered as conflicts", writers, k, len(stored), conflicts)
	})
}

// TestStaleProcessAcceptsCurrentExpectation has a client that learned the provider's head from
// one ledger process append through another whose view of the provider is older. Its expected
// sequence is the stream's current one, so the append must be stored; a conflict, if any, must
// carry the stream's current sequence.
func TestStaleProcessAcceptsCurrentExpectation(t *testing.T) {
	a := open(t, natslog.Options{DataDir: t.TempDir(), Listen: "127.0.0.1:-1"})
	b := open(t, natslog.Options{URL: a.Server().ClientURL(), Replicas: 1})
	agg := uuid.NewString()
	if _, err := b.Append(t.Context(), update(agg, 0)); err != nil { // b now knows north
		t.Fatal(err)
	}
	res, err := a.Append(t.Context(), update(agg, 1))
	if err != nil {
		t.Fatal(err)
	}
	head := res[0].Events[0].Sequence
	_, err = b.Append(t.Context(), update(agg, head))
	if err != nil {
		t.Errorf("append expecting the current sequence %d through a process that has not seen it: %v (current %d)", head, err, conflictAt(t, err))
	}
}
