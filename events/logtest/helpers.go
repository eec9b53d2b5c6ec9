package logtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/wsledger/wsledger/events"
)

// clock is a manual clock for recorded_at.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newClock() *clock { return &clock{t: time.Date(2026, 3, 2, 17, 0, 0, 0, time.UTC)} }

// draft returns a test event on aggregate agg of kind "item".
func draft(agg string, occurred time.Time, n int) events.Draft {
	return events.Draft{
		Type: "ItemNoted", Version: 1, AggregateKind: "item", AggregateID: agg,
		OccurredAt: occurred, Payload: json.RawMessage(fmt.Sprintf(`{"n":%d,"note":"item <%d>"}`, n, n)),
	}
}

func newAgg() string { return uuid.NewString() }

func request(provider, key string, ds ...events.Draft) events.AppendRequest {
	return events.AppendRequest{
		Provider: provider, Actor: events.Actor{StaffID: "s-1", Role: events.RoleSupervisor},
		IdempotencyKey: key, Fingerprint: "fp-" + key, Events: ds,
	}
}

func appendOne(t *testing.T, l events.Log, r events.AppendRequest) events.AppendResult {
	t.Helper()
	res, err := l.Append(t.Context(), r)
	if err != nil {
		t.Fatalf("append: %v", err)
	}
	return res[0]
}

// ReadAll reads every event opts selects from l, failing the test on any error.
func ReadAll(t *testing.T, l events.Log, opts events.ReadOptions) []events.Envelope {
	t.Helper()
	var out []events.Envelope
	for e, err := range l.Read(t.Context(), opts) {
		if err != nil {
			t.Fatalf("read: %v", err)
		}
		out = append(out, e)
	}
	return out
}

// LastSequence is l's last stream sequence, failing the test on any error.
func LastSequence(t *testing.T, l events.Log) uint64 {
	t.Helper()
	s, err := l.LastSequence(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func ptr[T any](v T) *T { return &v }

func wantCode(t *testing.T, err error, code string) *events.Error {
	t.Helper()
	if got := events.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
	var e *events.Error
	errors.As(err, &e)
	return e
}
