package reliability

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/wsledger/wsledger/events"
)

// workload appends commands with idempotency keys from several goroutines, the way clients do:
// an append that fails is sent again, with the same key and content, until it is acknowledged.
// It records what was acknowledged and when, and every error on the way.
type workload struct {
	mu     sync.Mutex
	acked  map[string][]string // idempotency key -> ids of the events acknowledged for it
	acks   []attempt           // every acknowledged attempt
	errs   map[string]int      // error, digits masked -> how often
	codes  map[string]int      // error code -> how often
	errLog []timedError        // every error, in the order seen
	tries  int                 // appends sent, first tries and retries
	failed []string            // keys never acknowledged
}

// attempt is one acknowledged append: when it was sent and when the answer came.
type attempt struct{ sent, acked time.Time }

// timedError is an append that failed: when it was sent, when it failed, and why.
type timedError struct {
	sent, failed time.Time
	err          string
}

// attemptTimeout is the deadline a client gives one append, as an HTTP client's request
// timeout would.
const attemptTimeout = 20 * time.Second

// keyDeadline bounds how long a client retries one command before the test calls it lost.
const keyDeadline = 90 * time.Second

func newWorkload() *workload {
	return &workload{acked: map[string][]string{}, errs: map[string]int{}, codes: map[string]int{}}
}

// writer appends to provider through log until stop closes, then finishes its last command.
// Every fifth command holds two events, so atomic batches are exercised too.
func (w *workload) writer(ctx context.Context, log events.Log, name, provider string, stop <-chan struct{}) {
	for i := 0; ; i++ {
		select {
		case <-stop:
			return
		default:
		}
		key := fmt.Sprintf("%s-%d", name, i)
		n := 1
		if i%5 == 4 {
			n = 2
		}
		req := request(provider, key, n)
		if !w.send(ctx, log, req) {
			return
		}
	}
}

// send appends req until it is acknowledged, and says whether it was.
func (w *workload) send(ctx context.Context, log events.Log, req events.AppendRequest) bool {
	first := time.Now()
	for {
		sent := time.Now()
		actx, cancel := context.WithTimeout(ctx, attemptTimeout)
		res, err := log.Append(actx, req)
		cancel()
		w.mu.Lock()
		w.tries++
		if err == nil {
			ids := make([]string, len(res[0].Events))
			for i, e := range res[0].Events {
				ids[i] = e.ID
			}
			w.acked[req.IdempotencyKey] = ids
			w.acks = append(w.acks, attempt{sent, time.Now()})
			w.mu.Unlock()
			return true
		}
		w.errs[maskDigits(err.Error())]++
		w.codes[events.ErrorCode(err)]++
		w.errLog = append(w.errLog, timedError{sent, time.Now(), err.Error()})
		if time.Since(first) > keyDeadline || ctx.Err() != nil {
			w.failed = append(w.failed, req.IdempotencyKey)
			w.mu.Unlock()
			return false
		}
		w.mu.Unlock()
		time.Sleep(20 * time.Millisecond)
	}
}

var digits = regexp.MustCompile(`[0-9]+`)

// maskDigits makes errors that differ only in sequences, ids or addresses count as one.
func maskDigits(s string) string {
	s = digits.ReplaceAllString(s, "N")
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}

// acknowledged returns how many commands were acknowledged.
func (w *workload) acknowledged() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.acks)
}

// resumedAfter returns when the first append sent at or after t was acknowledged.
func (w *workload) resumedAfter(t time.Time) (time.Time, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	var first time.Time
	for _, a := range w.acks {
		if !a.sent.Before(t) && (first.IsZero() || a.acked.Before(first)) {
			first = a.acked
		}
	}
	return first, !first.IsZero()
}

// errorsBetween lists the errors that came back between from and to, with times relative to from.
func (w *workload) errorsBetween(from, to time.Time) string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var b strings.Builder
	for _, e := range w.errLog {
		if !e.failed.Before(from) && !e.failed.After(to) {
			fmt.Fprintf(&b, "\n  sent %+v failed %+v: %s", e.sent.Sub(from).Round(time.Millisecond), e.failed.Sub(from).Round(time.Millisecond), e.err)
		}
	}
	return b.String()
}

// errorSummary lists the errors clients saw, most frequent first.
func (w *workload) errorSummary() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	type row struct {
		err string
		n   int
	}
	var rows []row
	for e, n := range w.errs {
		rows = append(rows, row{e, n})
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].n > rows[j].n })
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "\n  %6d  %s", r.n, r.err)
	}
	return b.String()
}

// audit is what the stream holds compared with what clients were told.
type audit struct {
	acknowledgedEvents int // events in acknowledged commands
	storedEvents       int
	lost               int // acknowledged events the stream does not hold
	duplicates         int // events stored twice, or stored for a key beyond its first append
	unacknowledged     int // stored events of commands no client was told about
}

// check compares the acknowledged commands with the stream's events.
func (w *workload) check(stored []events.Envelope) audit {
	w.mu.Lock()
	defer w.mu.Unlock()
	var a audit
	seen := map[string]int{}
	byKey := map[string][]string{}
	for _, e := range stored {
		a.storedEvents++
		seen[e.ID]++
		byKey[e.IdempotencyKey] = append(byKey[e.IdempotencyKey], e.ID)
	}
	for _, n := range seen {
		a.duplicates += n - 1
	}
	for key, ids := range byKey {
		acked, ok := w.acked[key]
		if !ok {
			a.unacknowledged += len(ids)
			continue
		}
		if extra := len(ids) - len(acked); extra > 0 {
			a.duplicates += extra
		}
	}
	for _, ids := range w.acked {
		a.acknowledgedEvents += len(ids)
		for _, id := range ids {
			if seen[id] == 0 {
				a.lost++
			}
		}
	}
	return a
}
