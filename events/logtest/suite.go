// Package logtest is the conformance suite for events.Log: every log implementation, given a
// Harness, must pass Run. It checks ordering, compare-and-set under concurrency, atomic
// multi-event appends, idempotent retries, as-of reads on both clocks, subscriptions from a
// checkpoint, and that verification finds every kind of tampering.
package logtest

import (
	"testing"
	"time"

	"github.com/wsledger/wsledger/events"
)

// Harness makes the logs the suite runs against.
type Harness struct {
	// New returns an empty log whose recorded_at comes from now. The harness closes it when
	// the test ends.
	New func(t *testing.T, now func() time.Time) events.Log
	// Reopen returns a new log over the same store as l (as after a restart), with l closed.
	Reopen func(t *testing.T, l events.Log) events.Log
	// Raw returns a log whose store holds exactly msgs, in order, written straight to the store
	// without the ledger (no hashing, no compare-and-set): the way a tamperer would.
	Raw func(t *testing.T, msgs []RawMessage) events.Log
}

// RawMessage is a stored message as a tamperer would write it.
type RawMessage struct {
	Subject string
	Data    []byte
}

// Run runs the whole suite.
func Run(t *testing.T, h Harness) {
	t.Run("Ordering", func(t *testing.T) { testOrdering(t, h) })
	t.Run("Validation", func(t *testing.T) { testValidation(t, h) })
	t.Run("ConcurrentCAS", func(t *testing.T) { testConcurrentCAS(t, h) })
	t.Run("ProvidersFollowAppends", func(t *testing.T) { testProvidersFollowAppends(t, h) })
	t.Run("AtomicMultiEvent", func(t *testing.T) { testAtomic(t, h) })
	t.Run("IdempotentRetry", func(t *testing.T) { testIdempotent(t, h) })
	t.Run("AsOf", func(t *testing.T) { testAsOf(t, h) })
	t.Run("Subscribe", func(t *testing.T) { testSubscribe(t, h) })
	t.Run("VerifyIntact", func(t *testing.T) { testVerifyIntact(t, h) })
	t.Run("Tamper", func(t *testing.T) { testTamper(t, h) })
}
