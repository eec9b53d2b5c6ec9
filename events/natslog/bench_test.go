package natslog_test

import (
	"encoding/json"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/events/logtest"
	"github.com/wsledger/wsledger/events/natslog"
)

// payload is a typical command's payload (a file review with two findings), about 400 bytes.
var payload = json.RawMessage(`{"review_id":"R-2026-03-0001","month":"2026-03","case_id":"C-000123","reviewer_id":"S-17","findings":[{"finding_id":"F-1","category":"work_verification","negative":true,"description":"Hours for week 2 were entered without verification on file."},{"finding_id":"F-2","category":"case_notes","negative":false,"description":"CLNO entries complete and timely."}]}`)

// BenchmarkAppend compares the ledger's append (validation, hashing, compare-and-set,
// idempotency key) with a raw synchronous JetStream publish of the same bytes to the same store.
func BenchmarkAppend(b *testing.B) {
	for _, writers := range []int{1, 16} {
		b.Run(fmt.Sprintf("ledger/writers=%d", writers), func(b *testing.B) {
			l := openBench(b)
			var n atomic.Int64
			run(b, writers, func(w int) error {
				i := n.Add(1)
				r := events.AppendRequest{
					Provider: fmt.Sprintf("p%02d", w), Actor: events.Actor{StaffID: "s", Role: events.RoleSupervisor},
					IdempotencyKey: fmt.Sprintf("k-%d", i), Fingerprint: "f",
					Events: []events.Draft{{Type: "FileReviewRecorded", Version: 1, AggregateKind: "filereview", AggregateID: uuid.NewString(), OccurredAt: time.Now(), Payload: payload}},
				}
				_, err := l.Append(b.Context(), r)
				return err
			})
		})
		b.Run(fmt.Sprintf("raw/writers=%d", writers), func(b *testing.B) {
			l := openBench(b)
			js := l.JetStream()
			run(b, writers, func(w int) error {
				_, err := js.Publish(b.Context(), fmt.Sprintf("ledger.p%02d.filereview.%s", w, uuid.NewString()), payload)
				return err
			})
		})
	}
}

func openBench(b *testing.B) *natslog.Log {
	l, err := natslog.Open(b.Context(), natslog.Options{DataDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { l.Close() })
	return l
}

// run calls op b.N times spread over the given number of concurrent writers.
func run(b *testing.B, writers int, op func(writer int) error) {
	var left atomic.Int64
	left.Store(int64(b.N))
	errs := make(chan error, writers)
	before := logtest.ProcessCPU()
	b.ResetTimer()
	for w := range writers {
		go func() {
			for left.Add(-1) >= 0 {
				if err := op(w); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range writers {
		if err := <-errs; err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "appends/s")
	// CPU per append (this process: the writers and the embedded server) moves less than the
	// rate when the machine is shared.
	b.ReportMetric(float64(logtest.ProcessCPU()-before)/float64(b.N)/1e3, "cpu-µs/op")
}
