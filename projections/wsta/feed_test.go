package wsta_test

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/events/natslog"
	"github.com/wsledger/wsledger/projections/internal/fixture"
	"github.com/wsledger/wsledger/projections/wsta"
)

const (
	northStarFile = "../testdata/north-star-2025.jsonl"
	auroraFile    = "../testdata/aurora-2025.jsonl"
)

// expected returns the subject of every notice the log's events call for, by event id, and the
// ids in ledger order.
func expected(t *testing.T, log events.Log) (map[string]string, []string) {
	t.Helper()
	subjects, order := map[string]string{}, []string{}
	for e, err := range log.Read(t.Context(), events.ReadOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		kind, err := wsta.KindOf(e)
		if err != nil {
			t.Fatal(err)
		}
		if kind != "" {
			subjects[e.ID] = wsta.Subject(e.Provider, kind)
			order = append(order, e.ID)
		}
	}
	return subjects, order
}

// feed starts a feed in the background; stop cancels it and returns what Run returned.
func feed(t *testing.T, log *natslog.Log, opts wsta.Options) (f *wsta.Feed, stop func() error) {
	t.Helper()
	f, err := wsta.New(t.Context(), log, log.JetStream(), opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()
	return f, func() error { cancel(); return <-done }
}

// published waits until the WSTA stream holds the notice of the log's last WSTA event.
func published(t *testing.T, f *wsta.Feed, log events.Log) {
	t.Helper()
	_, order := expected(t, log)
	var want uint64
	for e, err := range log.Read(t.Context(), events.ReadOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		if e.ID == order[len(order)-1] {
			want = e.Sequence
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		from, err := f.Resume(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if from > want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the feed did not publish up to ledger sequence %d", want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// inbox is a WSTA subscriber: a durable consumer with explicit acks.
type inbox struct {
	js   jetstream.JetStream
	name string
}

// receive fetches up to n notices (fewer when no more come within a second), acks each and
// returns their ids and subjects in the order received. Every call binds to the durable anew, as a
// subscriber that reconnects does.
func (in inbox) receive(t *testing.T, n int) (ids, subjects []string) {
	t.Helper()
	cons, err := in.js.CreateOrUpdateConsumer(t.Context(), "WSTA", jetstream.ConsumerConfig{
		Durable: in.name, AckPolicy: jetstream.AckExplicitPolicy, FilterSubject: wsta.SubjectPrefix + ".>",
	})
	if err != nil {
		t.Fatal(err)
	}
	batch, err := cons.Fetch(n, jetstream.FetchMaxWait(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	for m := range batch.Messages() {
		ids = append(ids, m.Headers().Get(jetstream.MsgIDHeader))
		subjects = append(subjects, m.Subject())
		if err := m.DoubleAck(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	if err := batch.Error(); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		t.Fatal(err)
	}
	return ids, subjects
}

// TestEachNoticeOnceAcrossRestarts publishes the notices of two fixtures while the ledger is
// written, restarting the feed midway (after the stream's duplicate window has passed, so that
// only the resume header prevents repeats), and with a digest published in between. A durable
// subscriber that reconnects between fetches receives every notice once, in ledger order, on the
// right subject, and the digest.
func TestEachNoticeOnceAcrossRestarts(t *testing.T) {
	log, clock := fixture.Open(t)
	l := fixture.NewLedger(log, clock)
	opts := wsta.Options{Duplicates: 100 * time.Millisecond}
	in := inbox{js: log.JetStream(), name: "wsta-inbox"}

	l.PlayLines(t, northStarFile, 0, 100)
	f, stop := feed(t, log, opts)
	published(t, f, log)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	firstIDs, firstSubjects := in.receive(t, 10)
	if _, err := f.PublishDigest(t.Context(), "north-star"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // past the duplicate window

	l.PlayLines(t, northStarFile, 100, -1)
	f, stop = feed(t, log, opts)
	l.Play(t, auroraFile)
	published(t, f, log)
	if err := stop(); err != nil {
		t.Fatal(err)
	}

	rest, restSubjects := in.receive(t, 1000)
	ids := append(firstIDs, rest...)
	subjects := append(firstSubjects, restSubjects...)
	want, order := expected(t, log)
	var notices []string
	digests := 0
	for i, id := range ids {
		if subjects[i] == wsta.Subject("north-star", wsta.KindDigest) {
			digests++
			continue
		}
		if subjects[i] != want[id] {
			t.Errorf("notice %s came on %s, want %s", id, subjects[i], want[id])
		}
		notices = append(notices, id)
	}
	if digests != 1 {
		t.Errorf("%d digests received, want 1", digests)
	}
	if len(notices) != len(order) {
		t.Fatalf("%d notices received, want %d (one per WSTA event)", len(notices), len(order))
	}
	for i := range order {
		if notices[i] != order[i] {
			t.Fatalf("notice %d is %s, want %s: each once, in ledger order", i, notices[i], order[i])
		}
	}
}

// TestTwoFeedsAtOnce runs two feeds on the same stream: each publish expects the stream's last
// sequence, so the one that loses a race skips what the other published, and every notice is
// stored once.
func TestTwoFeedsAtOnce(t *testing.T) {
	log, clock := fixture.Open(t)
	l := fixture.NewLedger(log, clock)
	_, stopA := feed(t, log, wsta.Options{})
	b, stopB := feed(t, log, wsta.Options{})
	l.Play(t, northStarFile)
	published(t, b, log)
	for _, stop := range []func() error{stopA, stopB} {
		if err := stop(); err != nil {
			t.Fatal(err)
		}
	}
	_, order := expected(t, log)
	s, err := log.JetStream().Stream(t.Context(), "WSTA")
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if info.State.Msgs != uint64(len(order)) {
		t.Fatalf("the WSTA stream holds %d messages for %d notices", info.State.Msgs, len(order))
	}
	for seq := uint64(1); seq <= info.State.LastSeq; seq++ {
		m, err := s.GetMsg(t.Context(), seq)
		if err != nil {
			t.Fatal(err)
		}
		if got := m.Header.Get(jetstream.MsgIDHeader); got != order[seq-1] {
			t.Fatalf("message %d is %s, want %s", seq, got, order[seq-1])
		}
		if _, err := strconv.ParseUint(m.Header.Get(wsta.HeaderLedgerSequence), 10, 64); err != nil {
			t.Errorf("message %d: %v", seq, err)
		}
	}
}

// TestPublishDigest publishes a provider's digest: the history verifies against it, and asking
// again for the same head publishes nothing new.
func TestPublishDigest(t *testing.T) {
	log, clock := fixture.Open(t)
	fixture.NewLedger(log, clock).Play(t, auroraFile)
	f, err := wsta.New(t.Context(), log, log.JetStream(), wsta.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := f.PublishDigest(t.Context(), "aurora-ws"); err != nil {
			t.Fatal(err)
		}
	}
	s, err := log.JetStream().Stream(t.Context(), "WSTA")
	if err != nil {
		t.Fatal(err)
	}
	m, err := s.GetLastMsgForSubject(t.Context(), wsta.Subject("aurora-ws", wsta.KindDigest))
	if err != nil {
		t.Fatal(err)
	}
	if m.Sequence != 1 {
		t.Errorf("the digest is message %d; the second request should have been dropped as a duplicate", m.Sequence)
	}
	var d events.Digest
	if err := json.Unmarshal(m.Data, &d); err != nil {
		t.Fatal(err)
	}
	report, err := events.Verify(t.Context(), log, "aurora-ws", &d)
	if err != nil || !report.Intact || d.Position != 20 {
		t.Errorf("verify against the digest at position %d: %+v, %v", d.Position, report, err)
	}
}
