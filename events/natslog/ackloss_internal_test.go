package natslog

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/events/natslog/natstest"
)

// TestFirstEventAckLostInElection stops the stream leader the moment a provider's first event
// has been sent, so that its acknowledgement is lost in the election; the writer retries with
// the same idempotency key until it is answered, then appends again for the provider. The first
// event must be stored once and the second must follow it at position 2: a writer that lost
// an acknowledgement must not claim the position again.
func TestFirstEventAckLostInElection(t *testing.T) {
	c := natstest.Start(t, 3)
	ctx := t.Context()
	l, err := Open(ctx, Options{URL: c.URLs(0), Replicas: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if _, err := l.Append(ctx, noteFor("north")); err != nil {
		t.Fatal(err)
	}
	leader := streamLeader(t, l)
	var once sync.Once
	testHookSent = func(m *nats.Msg) {
		if strings.HasPrefix(m.Subject, events.ProviderFilter("fresh")[:len("ledger.fresh.")]) {
			once.Do(func() { c.Stop(c.Node(leader)) })
		}
	}
	defer func() { testHookSent = nil }()

	first := noteFor("fresh")
	first.IdempotencyKey = "fresh-1"
	firstRes := appendUntilAnswered(t, l, first)
	c.Start(c.Node(leader))
	second := appendUntilAnswered(t, l, noteFor("fresh"))
	if got := second[0].Events[0].Position; got != 2 {
		t.Fatalf("the provider's second event took position %d, want 2", got)
	}
	// The restarted node rejoining can cost the stream another election: a read answered
	// unavailable is retried, as a client told to retry does.
	var r events.Report
	natstest.Poll(t, natstest.ReadyTimeout, "a verify answered", func() bool {
		r, err = events.Verify(ctx, l, "fresh", nil)
		return events.ErrorCode(err) != events.Unavailable
	})
	if err != nil || !r.Intact || r.Events != 2 {
		t.Fatalf("fresh after the election: %+v, %v; want 2 events intact", r, err)
	}
	for e, err := range l.Read(ctx, events.ReadOptions{Provider: "fresh"}) {
		if err != nil {
			t.Fatal(err)
		}
		if e.IdempotencyKey == "fresh-1" && e.ID != firstRes[0].Events[0].ID {
			t.Fatalf("the first event stored is %s, but the writer was answered %s", e.ID, firstRes[0].Events[0].ID)
		}
	}
}

// appendUntilAnswered appends req until it is acknowledged, as a client told to retry
// unavailable answers with the same idempotency key does.
func appendUntilAnswered(t *testing.T, l *Log, req events.AppendRequest) []events.AppendResult {
	t.Helper()
	deadline := time.Now().Add(natstest.ReadyTimeout)
	for {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		res, err := l.Append(ctx, req)
		cancel()
		if err == nil {
			return res
		}
		if events.ErrorCode(err) != events.Unavailable || time.Now().After(deadline) {
			t.Fatalf("append: %v", err)
		}
		t.Logf("append: %v; retrying", err)
		time.Sleep(100 * time.Millisecond)
	}
}

func streamLeader(t *testing.T, l *Log) string {
	t.Helper()
	var leader string
	natstest.Poll(t, natstest.ReadyTimeout, "the stream to have a leader", func() bool {
		info, err := l.stream.Info(t.Context())
		if err != nil || info.Cluster == nil {
			return false
		}
		leader = info.Cluster.Leader
		return leader != ""
	})
	return leader
}
