package reliability

import (
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/events/logtest"
	"github.com/wsledger/wsledger/events/natslog"
	"github.com/wsledger/wsledger/events/natslog/natstest"
)

// fakeClock is the ledger's clock for recorded_at, moved by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// dedupeWindow is the stream's duplicate window in this test, short enough to wait out.
const dedupeWindow = 200 * time.Millisecond

// TestIdempotencyOutlivesDedupeWindow retries a command after JetStream's duplicate window has
// passed, both in the ledger's own time (a fake clock moved past two minutes and a day) and in
// the server's (the stream's window shortened to 200 ms and waited out, shown by the server
// storing a message with an id it would have refused inside the window), through the same log
// and through the log reopened. Every retry must answer the first result and append nothing.
func TestIdempotencyOutlivesDedupeWindow(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 3, 2, 17, 0, 0, 0, time.UTC)}
	dir := t.TempDir()
	l, err := natslog.Open(t.Context(), natslog.Options{DataDir: dir, Now: clock.now})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { l.Close() }()
	st, err := l.JetStream().Stream(t.Context(), l.StreamName())
	if err != nil {
		t.Fatal(err)
	}
	cfg := st.CachedInfo().Config
	cfg.Duplicates = dedupeWindow
	if _, err := l.JetStream().UpdateStream(t.Context(), cfg); err != nil {
		t.Fatalf("shorten the duplicate window: %v", err)
	}
	cmd := request("north", "cmd-1", 2)
	first, err := l.Append(t.Context(), cmd)
	if err != nil {
		t.Fatal(err)
	}
	stored := logtest.LastSequence(t, l)

	retry := func(l *natslog.Log, when string) {
		t.Helper()
		res, err := l.Append(t.Context(), cmd)
		if err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		if !res[0].Duplicate || len(res[0].Events) != 2 || res[0].Events[0].ID != first[0].Events[0].ID || res[0].Events[1].Hash != first[0].Events[1].Hash {
			t.Fatalf("%s: the retry gave %+v, want the first result", when, res[0])
		}
		if n := logtest.LastSequence(t, l); n != stored {
			t.Fatalf("%s: the retry appended %d events", when, n-stored)
		}
	}

	// A message with the first event's id: refused as a duplicate inside the window, stored
	// once the server's window has passed.
	probe := func() *jetstream.PubAck {
		m := nats.NewMsg(events.Subject("probe", "item", first[0].Events[0].Aggregate))
		m.Data = []byte(`{}`)
		m.Header.Set(jetstream.MsgIDHeader, first[0].Events[0].ID)
		ack, err := l.JetStream().PublishMsg(t.Context(), m)
		if err != nil {
			t.Fatal(err)
		}
		return ack
	}
	if ack := probe(); !ack.Duplicate {
		t.Fatalf("inside the window the server stored a message with a used id: %+v", ack)
	}
	var ack *jetstream.PubAck
	natstest.Poll(t, natstest.ReadyTimeout, "the server's duplicate window to pass", func() bool {
		ack = probe()
		return !ack.Duplicate
	})
	stored = ack.Sequence
	retry(l, "after the server's duplicate window")

	clock.advance(3 * time.Minute)
	retry(l, "three minutes later by the ledger's clock")
	clock.advance(26 * time.Hour)
	l.Close()
	l, err = natslog.Open(t.Context(), natslog.Options{DataDir: dir, Now: clock.now})
	if err != nil {
		t.Fatal(err)
	}
	retry(l, "a day later, reopened")
	if r, err := events.Verify(t.Context(), l, "north", nil); err != nil || !r.Intact || r.Events != 2 {
		t.Fatalf("verify: %+v, %v", r, err)
	}
}
