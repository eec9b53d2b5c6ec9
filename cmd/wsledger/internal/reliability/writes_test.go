package reliability

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/store"
	"github.com/wsledger/wsledger/events/natslog/natstest"
)

// TestWritesKeepWorking is ordinary concurrent use through the HTTP API: per provider two
// clients (on the embedded store), or two processes with two clients each (on a three-node
// cluster), each alternating a call that is recorded with the return of a call that does not
// exist (refused, 404), for several providers at once. A refused command makes the service
// look at the provider's head while other commands commit. No answer may be a 500, no process
// may report damage or stop being ready, and every acknowledged command must be stored once.
func TestWritesKeepWorking(t *testing.T) {
	rounds := scale(30, 300)
	providers := []string{"north", "south", "kenai"}
	t.Run("embedded", func(t *testing.T) {
		p := startProc(t, store.Options{DataDir: t.TempDir()}, true)
		keepWriting(t, []*proc{p}, providers, 2, rounds)
	})
	t.Run("cluster", func(t *testing.T) {
		c := natstest.Start(t, 3)
		procs := []*proc{
			startProc(t, store.Options{URL: c.URLs(0), Replicas: 3}, true),
			startProc(t, store.Options{URL: c.URLs(1), Replicas: 3}, true),
		}
		keepWriting(t, procs, providers, 2, rounds)
	})
}

// keepWriting runs clientsPerProc clients per process and provider, each for rounds rounds of a
// recorded call and a refused return, and checks the outcome.
func keepWriting(t *testing.T, procs []*proc, providers []string, clientsPerProc, rounds int) {
	tokens := grants(t, procs[0], providers)
	register(t, procs[0], tokens, providers)
	var mu sync.Mutex
	acked := map[string][]string{} // provider/key -> event ids
	statuses := map[int]int{}
	var wg sync.WaitGroup
	for pi, p := range procs {
		for _, pr := range providers {
			for c := range clientsPerProc {
				wg.Go(func() {
					for i := range rounds {
						key := fmt.Sprintf("p%d-c%d-%d", pi, c, i)
						call := fmt.Appendf(nil, `{"type":"ReceiveClientCall","provider":%q,"idempotency_key":%q,"concern_id":%q,"client_number":"12345678","summary":"Benefit late."}`,
							pr, "call-"+key, "C-"+key)
						r := sendUntilAnswered(t, p, tokens[pr], call)
						mu.Lock()
						statuses[r.status]++
						if r.status == http.StatusCreated || r.status == http.StatusOK {
							ids, err := r.eventIDs()
							if err != nil {
								t.Errorf("%s: %v", key, err)
							}
							acked[pr+"/call-"+key] = ids
						} else {
							t.Errorf("call %s: %d %s", key, r.status, r.body)
						}
						mu.Unlock()
						ret := fmt.Appendf(nil, `{"type":"ReturnClientCall","provider":%q,"idempotency_key":%q,"concern_id":%q}`, pr, "ret-"+key, "NONE-"+key)
						r = sendUntilAnswered(t, p, tokens[pr], ret)
						mu.Lock()
						statuses[r.status]++
						if r.status != http.StatusNotFound {
							t.Errorf("return of a call that does not exist, %s: %d %s, want 404", key, r.status, r.body)
						}
						mu.Unlock()
					}
				})
			}
		}
	}
	wg.Wait()
	for i, p := range procs {
		if err := p.st.Damage(); err != nil {
			t.Errorf("process %d reports damage: %v", i, err)
		}
		if r := p.readyz(t); r.status != http.StatusOK {
			t.Errorf("process %d not ready: %d %s", i, r.status, r.body)
		}
	}
	n := storedOnce(t, procs[0].st, acked)
	t.Logf("%d processes x %d providers x %d clients x %d rounds: answers by status %v; %d commands acknowledged, each stored once; %d events in the ledger",
		len(procs), len(providers), clientsPerProc, rounds, statuses, len(acked), n)
}
