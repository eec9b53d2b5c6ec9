package reliability

import (
	"errors"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/ledger"
	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/events/natslog"
)

// writers is how many clients race in these tests.
const writers = 100

// clock is the ledger's clock: Friday 20 March 2026, noon in Anchorage, moved by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 20, 20, 0, 0, 0, time.UTC)} }

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func command(typ, role, staff, key, fields string) []byte {
	return fmt.Appendf(nil, `{"type":%q,"provider":"north","idempotency_key":%q,"actor":{"staff_id":%q,"role":%q},%s}`, typ, key, staff, role, fields)
}

// roster is a revision of March's staff roster; name tells the revisions apart.
func roster(key, name string, expected *uint64) []byte {
	fields := fmt.Sprintf(`"month":"2026-03","staff":[{"staff_id":"pm1","name":%q,"role":"program_manager"},
		{"staff_id":"cm1","name":"Cas","role":"case_manager","supervisor_id":"pm1"}]`, name)
	if expected != nil {
		fields += fmt.Sprintf(`,"expected_version":%d`, *expected)
	}
	return command("SubmitStaffRoster", "program_manager", "pm1", key, fields)
}

func call(key, concern string) []byte {
	return command("ReceiveClientCall", "case_manager", "cm1", key,
		fmt.Sprintf(`"concern_id":%q,"client_number":"12345678","summary":"benefit late"`, concern))
}

// deployment is n ledger processes (service over log) on one store: the first runs the embedded
// server, the others connect to it over loopback.
type deployment struct {
	services []*ledger.Service
	logs     []*natslog.Log
}

func deploy(t *testing.T, n int, c *clock, dir string) deployment {
	t.Helper()
	first := open(t, natslog.Options{DataDir: dir, Listen: "127.0.0.1:-1", Now: c.now})
	d := deployment{logs: []*natslog.Log{first}}
	for range n - 1 {
		d.logs = append(d.logs, open(t, natslog.Options{URL: first.Server().ClientURL(), Replicas: 1, Now: c.now}))
	}
	for _, l := range d.logs {
		d.services = append(d.services, ledger.New(l, domain.DefaultPolicy(), c.now))
	}
	return d
}

// close stops every process, the one running the server last.
func (d deployment) close() {
	for i := len(d.logs) - 1; i >= 0; i-- {
		d.logs[i].Close()
	}
}

func open(t *testing.T, opts natslog.Options) *natslog.Log {
	t.Helper()
	l, err := natslog.Open(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func submit(t *testing.T, s *ledger.Service, raw []byte) ledger.Result {
	t.Helper()
	res, err := s.Submit(t.Context(), raw)
	if err != nil {
		t.Fatalf("submit: %v\n%s", err, raw)
	}
	return res
}

// setUp registers north and submits the first roster, and returns that roster's sequence.
func setUp(t *testing.T, s *ledger.Service) uint64 {
	t.Helper()
	submit(t, s, command("RegisterProvider", "admin", "ad1", "k-reg", `"name":"North","region":"southcentral","occurred_at":"2026-01-05T09:00:00"`))
	return submit(t, s, roster("k-roster-0", "Pat", nil)).Sequence()
}

var processes = []int{1, 2}

// TestServiceNoLostUpdates has 100 clients each revise March's roster k times through one or
// two ledger processes, every command carrying the expected_version the client last saw and,
// on a conflict, the current one from the error. Each version must have exactly one winner:
// every stored revision was decided on the revision just before it, and none is missing.
func TestServiceNoLostUpdates(t *testing.T) {
	k := scale(2, 10)
	for _, n := range processes {
		t.Run(fmt.Sprintf("%d processes", n), func(t *testing.T) {
			d := deploy(t, n, newClock(), t.TempDir())
			initial := setUp(t, d.services[0])
			var mu sync.Mutex
			decidedOn := map[uint64]uint64{} // sequence of a stored revision -> expected_version it carried
			conflicts := 0
			var wg sync.WaitGroup
			for w := range writers {
				s := d.services[w%n]
				wg.Go(func() {
					expected := initial
					for done, attempt := 0, 0; done < k; attempt++ {
						raw := roster(fmt.Sprintf("k-w%d-%d", w, attempt), fmt.Sprintf("w%d-%d", w, done), &expected)
						res, err := s.Submit(t.Context(), raw)
						var e *events.Error
						switch {
						case err == nil:
							mu.Lock()
							decidedOn[res.Sequence()] = expected
							mu.Unlock()
							expected = res.Sequence()
							done++
						case errors.As(err, &e) && e.Code == events.Conflict && e.Field == "expected_version":
							mu.Lock()
							conflicts++
							mu.Unlock()
							expected = e.Current
						default:
							t.Errorf("writer %d: %v", w, err)
							return
						}
					}
				})
			}
			wg.Wait()
			var seqs []uint64
			for seq := range decidedOn {
				seqs = append(seqs, seq)
			}
			sort.Slice(seqs, func(i, j int) bool { return seqs[i] < seqs[j] })
			if len(seqs) != writers*k {
				t.Fatalf("%d revisions stored, want %d", len(seqs), writers*k)
			}
			prev := initial
			for _, seq := range seqs {
				if decidedOn[seq] != prev {
					t.Fatalf("the revision at sequence %d was decided on version %d, but the revision before it is %d: a lost update", seq, decidedOn[seq], prev)
				}
				prev = seq
			}
			if r, err := events.Verify(t.Context(), d.logs[0], "north", nil); err != nil || !r.Intact || r.Events != uint64(writers*k+2) {
				t.Fatalf("verify: %+v, %v; want %d events intact", r, err, writers*k+2)
			}
			t.Logf("%d processes, %d clients x %d revisions of one aggregate: %d stored, 0 lost, one winner per version, %d conflicts answered as conflicts",
				n, writers, k, len(seqs), conflicts)
		})
	}
}

// TestServiceExactlyOnce has 100 clients each record k calls (new concerns) on one provider
// through one or two ledger processes, retrying any error with the same command and key, then
// retrying every command once more after it succeeded, and once more a day later after a
// restart. Every command must be stored exactly once and every retry answer the first result.
func TestServiceExactlyOnce(t *testing.T) {
	k := scale(2, 10)
	for _, n := range processes {
		t.Run(fmt.Sprintf("%d processes", n), func(t *testing.T) {
			c, dir := newClock(), t.TempDir()
			d := deploy(t, n, c, dir)
			log := d.logs[0]
			setUp(t, d.services[0])
			var mu sync.Mutex
			first := map[string]string{} // idempotency key -> id of the event stored
			refusals := map[string]int{} // error code and field -> how often, before a retry succeeded
			var wg sync.WaitGroup
			for w := range writers {
				s := d.services[w%n]
				wg.Go(func() {
					for i := range k {
						key := fmt.Sprintf("k-w%d-%d", w, i)
						raw := call(key, fmt.Sprintf("Q-%d-%d", w, i))
						for attempt := 0; ; attempt++ {
							res, err := s.Submit(t.Context(), raw)
							mu.Lock()
							if err == nil {
								first[key] = res.Events[0].ID
								mu.Unlock()
								break
							}
							var e *events.Error
							errors.As(err, &e)
							refusals[events.ErrorCode(err)+" "+fieldOf(e)]++
							mu.Unlock()
							if attempt == 20 {
								t.Errorf("writer %d: command %s still refused after %d tries: %v", w, key, attempt+1, err)
								return
							}
						}
					}
				})
			}
			wg.Wait()
			before, err := log.LastSequence(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			retryAll := func(services []*ledger.Service, when string) {
				t.Helper()
				for w := range writers {
					for i := range k {
						key := fmt.Sprintf("k-w%d-%d", w, i)
						res := submit(t, services[w%len(services)], call(key, fmt.Sprintf("Q-%d-%d", w, i)))
						if !res.Duplicate || res.Events[0].ID != first[key] {
							t.Fatalf("%s: retry of %s gave %+v, want the first result", when, key, res)
						}
					}
				}
			}
			retryAll(d.services, "after success")
			if after, _ := log.LastSequence(t.Context()); after != before {
				t.Fatalf("retries appended %d events", after-before)
			}
			stored := 0
			for e, err := range log.Read(t.Context(), events.ReadOptions{Provider: "north"}) {
				if err != nil {
					t.Fatal(err)
				}
				if e.Type == events.TypeClientCallReceived {
					if first[e.IdempotencyKey] != e.ID {
						t.Fatalf("stored call %s (key %s) is not the one acknowledged", e.ID, e.IdempotencyKey)
					}
					stored++
				}
			}
			if stored != writers*k {
				t.Fatalf("%d calls stored, want %d", stored, writers*k)
			}
			t.Logf("%d processes, %d clients x %d commands on one provider: %d stored exactly once; refusals before a retry succeeded: %v",
				n, writers, k, stored, refusals)

			// A day later, by the ledger's clock, after a restart: the keys still hold.
			c.advance(26 * time.Hour)
			d.close()
			again := deploy(t, 1, c, dir)
			retryAll(again.services, "a day later, after a restart")
			if after, _ := again.logs[0].LastSequence(t.Context()); after != before {
				t.Fatalf("retries after the restart appended %d events", after-before)
			}
		})
	}
}

func fieldOf(e *events.Error) string {
	if e == nil {
		return ""
	}
	return e.Field
}
