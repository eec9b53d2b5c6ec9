package natslog_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/events/natslog"
)

func note(n int) events.Draft {
	return events.Draft{Type: "ItemNoted", Version: 1, AggregateKind: "item", AggregateID: uuid.NewString(),
		OccurredAt: time.Now(), Payload: json.RawMessage(`{"n":` + string(rune('0'+n)) + `}`)}
}

func req(key string, ds ...events.Draft) events.AppendRequest {
	return events.AppendRequest{Provider: "north", Actor: events.Actor{StaffID: "s1", Role: events.RoleSupervisor}, IdempotencyKey: key, Fingerprint: key, Events: ds}
}

// twoWriters opens a ledger on an embedded server that listens on loopback, and a second writer
// on the same stream through the network, as two wsledger processes sharing a cluster would be.
func twoWriters(t *testing.T) (a, b *natslog.Log) {
	a = open(t, natslog.Options{DataDir: t.TempDir(), Listen: "127.0.0.1:-1"})
	b = open(t, natslog.Options{URL: a.Server().ClientURL(), Replicas: 1})
	return a, b
}

// TestStaleWriter makes one writer's view of a provider stale: its next append fails the
// server's compare-and-set, it catches up and appends on the new head; an expected sequence that
// the stream has passed is a conflict; a key another writer used is a duplicate.
func TestStaleWriter(t *testing.T) {
	a, b := twoWriters(t)
	ctx := t.Context()
	if _, err := a.Append(ctx, req("", note(1))); err != nil {
		t.Fatal(err)
	}
	headA, _ := a.Head(ctx, "north")
	if _, err := b.Append(ctx, req("k-b", note(2), note(3))); err != nil {
		t.Fatal(err)
	}
	res, err := a.Append(ctx, req("", note(4)))
	if err != nil {
		t.Fatalf("stale writer without expectation: %v", err)
	}
	if e := res[0].Events[0]; e.Position != 4 {
		t.Fatalf("stale writer appended at position %d, want 4", e.Position)
	}
	stale := req("", note(5))
	stale.ExpectedSeq = &headA.Sequence
	_, err = b.Append(ctx, stale)
	if events.ErrorCode(err) != events.Conflict {
		t.Fatalf("expected sequence passed: %v, want a conflict", err)
	}
	before, _ := a.LastSequence(ctx)
	if _, err := b.Append(ctx, req("k-b2", note(6))); err != nil {
		t.Fatal(err)
	}
	dup, err := a.Append(ctx, req("k-b2", note(6)))
	if err != nil || !dup[0].Duplicate {
		t.Fatalf("retry through the other writer: %+v, %v", dup, err)
	}
	if after, _ := a.LastSequence(ctx); after != before+1 {
		t.Fatalf("stored %d events, want 1", after-before)
	}
	r, err := events.Verify(ctx, a, "north", nil)
	if err != nil || !r.Intact || r.Events != 5 {
		t.Fatalf("verify after two writers: %+v, %v", r, err)
	}
}

// TestExistingStreamChecked refuses a stream that would let events be removed.
func TestExistingStreamChecked(t *testing.T) {
	srv := startServer(t, -1, nil)
	l := open(t, natslog.Options{URL: srv.ClientURL(), Replicas: 1, Stream: "GOOD"})
	_, err := l.JetStream().CreateStream(t.Context(), jetstream.StreamConfig{Name: "WEAK", Subjects: []string{"weak.>"}, Storage: jetstream.FileStorage})
	if err != nil {
		t.Fatal(err)
	}
	_, err = natslog.Open(t.Context(), natslog.Options{URL: srv.ClientURL(), Replicas: 1, Stream: "WEAK"})
	if err == nil {
		t.Fatal("a stream without the ledger's guarantees was accepted")
	}
	t.Log(err)
}
