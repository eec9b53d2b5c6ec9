package reliability

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/events/natslog"
)

var actor = events.Actor{StaffID: "s-1", Role: events.RoleSupervisor}

// note returns a test event on aggregate agg.
func note(agg string, n int) events.Draft {
	return events.Draft{
		Type: "ItemNoted", Version: 1, AggregateKind: "item", AggregateID: agg,
		OccurredAt: time.Date(2026, 3, 2, 17, 0, 0, 0, time.UTC),
		Payload:    json.RawMessage(fmt.Sprintf(`{"n":%d,"note":"item %d"}`, n, n)),
	}
}

// request is one command of n events on a fresh aggregate; key doubles as its fingerprint.
func request(provider, key string, n int) events.AppendRequest {
	agg := uuid.NewString()
	r := events.AppendRequest{Provider: provider, Actor: actor, IdempotencyKey: key, Fingerprint: key}
	for i := range n {
		r.Events = append(r.Events, note(agg, i))
	}
	return r
}

// appendAsClients do appends req, sending it again with the same idempotency key while the
// answer is unavailable (a leader being elected, a store slow to answer), as the ledger tells
// its clients to, for up to 30 s: a cluster just started, on a loaded machine, may take more
// than the log's one-second wait to acknowledge its first appends.
func appendAsClients(ctx context.Context, l events.Log, req events.AppendRequest) ([]events.AppendResult, error) {
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := l.Append(ctx, req)
		if events.ErrorCode(err) != events.Unavailable || time.Now().After(deadline) {
			return res, err
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func open(t *testing.T, opts natslog.Options) *natslog.Log {
	t.Helper()
	l, err := natslog.Open(t.Context(), opts)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// connect dials NATS and returns the connection, closed when the test ends, and its JetStream.
func connect(t *testing.T, url string, opts ...nats.Option) (*nats.Conn, jetstream.JetStream) {
	t.Helper()
	nc, err := nats.Connect(url, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return nc, js
}

// verifyIntact fails the test unless every provider's history verifies, and returns the number
// of events verified.
func verifyIntact(t *testing.T, l events.Log) uint64 {
	t.Helper()
	reports, err := events.VerifyAll(t.Context(), l)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	var n uint64
	for _, r := range reports {
		if !r.Intact {
			t.Errorf("provider %s: %v", r.Provider, r.Tamper)
		}
		n += r.Events
	}
	return n
}
