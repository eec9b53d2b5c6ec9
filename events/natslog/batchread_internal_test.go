package natslog

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/events/logtest"
	"github.com/wsledger/wsledger/events/natslog/natstest"
)

// storeRaw publishes messages straight to the log's stream, in atomic batches of up to 500, and
// returns their sequences.
func storeRaw(t testing.TB, l *Log, msgs []*nats.Msg) []uint64 {
	t.Helper()
	var seqs []uint64
	for chunk := range slices.Chunk(msgs, 500) {
		last, err := l.publish(time.Now().Add(publishTimeout), chunk)
		if err != nil {
			t.Fatal(err)
		}
		for i := range chunk {
			seqs = append(seqs, last-uint64(len(chunk)-1-i))
		}
	}
	return seqs
}

// openLog opens a log on an embedded server for the test's duration.
func openLog(t *testing.T) *Log {
	t.Helper()
	l, err := Open(t.Context(), Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// rawMsg returns a message to store, with its header map made.
func rawMsg(subject string, data []byte) *nats.Msg {
	m := nats.NewMsg(subject)
	m.Data = data
	return m
}

// rawEvents returns n messages on event subjects whose data names their index, from.
func rawEvents(n, from int) []*nats.Msg {
	msgs := make([]*nats.Msg, n)
	for i := range msgs {
		msgs[i] = rawMsg(events.Subject("north", "item", "a"), fmt.Appendf(nil, `{"id":"e-%d"}`, from+i))
	}
	return msgs
}

// collect subscribes to every event from sequence from and returns what arrives until want events
// have, with the subscription's result.
func collect(t *testing.T, l *Log, from uint64, want int) []events.Envelope {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	var got []events.Envelope
	err := l.Subscribe(ctx, "", from, func(e events.Envelope) error {
		got = append(got, e)
		if len(got) == want {
			cancel()
		}
		return nil
	})
	if err != nil {
		t.Fatalf("subscribe from %d: %v", from, err)
	}
	if len(got) != want {
		t.Fatalf("subscribe from %d delivered %d events, want %d", from, len(got), want)
	}
	return got
}

// TestSubscribeFarBehindReadsByBatches stores more events than a subscription reads by batched
// direct gets, and checks that a subscription from the first event, and from one in the middle of
// a batch, delivers each event once, in order, with its own sequence and bytes; that the batches
// deliver every event up to the end; and that the subscription then follows new events.
func TestSubscribeFarBehindReadsByBatches(t *testing.T) {
	l := openLog(t)
	n := batchedMin + batchLen + 123
	msgs := rawEvents(n, 0)
	seqs := storeRaw(t, l, msgs)

	var batched []uint64
	next, err := l.readBatched(t.Context(), 1, func(seq uint64, data []byte) error {
		batched = append(batched, seq)
		if want := msgs[len(batched)-1].Data; string(data) != string(want) {
			t.Fatalf("sequence %d delivered %s, want %s", seq, data, want)
		}
		return nil
	})
	if err != nil || next != seqs[n-1]+1 || !slices.Equal(batched, seqs) {
		t.Fatalf("readBatched from 1 = %d, %v after %d messages; want %d, nil after %d in order", next, err, len(batched), seqs[n-1]+1, n)
	}

	for _, from := range []int{0, 700} {
		go func() {
			time.Sleep(200 * time.Millisecond)
			if _, err := l.publish(time.Now().Add(publishTimeout), rawEvents(2, n)); err != nil {
				t.Error(err)
			}
		}()
		want := n - from + 2
		got := collect(t, l, seqs[from], want)
		for i, e := range got {
			if e.Sequence != seqs[from]+uint64(i) || e.ID != fmt.Sprintf("e-%d", from+i) {
				t.Fatalf("event %d from %d: sequence %d, id %s; want %d, e-%d", i, from, e.Sequence, e.ID, seqs[from]+uint64(i), from+i)
			}
		}
		n += 2
		seqs = append(seqs, seqs[len(seqs)-1]+1, seqs[len(seqs)-1]+2)
	}
}

// TestReadFarBehindReadsByBatches checks that a finished read of every event far behind the end
// (as the provider index's catch-up on opening a ledger is) returns each event once, in order,
// with its own sequence, from the first event and from the middle of a batch, and that a reader
// may stop early.
func TestReadFarBehindReadsByBatches(t *testing.T) {
	l := openLog(t)
	n := batchedMin + batchLen + 77
	seqs := storeRaw(t, l, rawEvents(n, 0))
	for _, from := range []int{0, 700} {
		got := logtest.ReadAll(t, l, events.ReadOptions{From: seqs[from]})
		if len(got) != n-from {
			t.Fatalf("read from %d returned %d events, want %d", from, len(got), n-from)
		}
		for i, e := range got {
			if e.Sequence != seqs[from+i] || e.ID != fmt.Sprintf("e-%d", from+i) {
				t.Fatalf("event %d from %d: sequence %d, id %s; want %d, e-%d", i, from, e.Sequence, e.ID, seqs[from+i], from+i)
			}
		}
	}
	read := 0
	for _, err := range l.Read(t.Context(), events.ReadOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		if read++; read == 10 {
			break
		}
	}
}

// TestBatchedReadFallsBackAtAGap reads a stream with a sequence missing in its third batch, as a
// store that skipped a damaged message would be, through a log that reads it as the ledger's: the
// batches stop at the batch with the gap, and the subscription reads on through its consumer,
// delivering every message once with its own sequence. The ledger's own stream denies deletion,
// so the test reads a copy of its configuration that allows it.
func TestBatchedReadFallsBackAtAGap(t *testing.T) {
	ledger, err := Open(t.Context(), Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer ledger.Close()
	cfg := streamConfig("GAPPY", 1)
	cfg.Subjects = []string{events.SubjectPrefix + ".>"}
	if err := ledger.js.DeleteStream(t.Context(), ledger.name); err != nil {
		t.Fatal(err)
	}
	cfg.DenyDelete = false
	stream, err := ledger.js.CreateStream(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	l := &Log{opts: ledger.opts, srv: ledger.srv, nc: ledger.nc, js: ledger.js, stream: stream, name: "GAPPY", log: ledger.log}
	n := batchedMin + 100
	seqs := storeRaw(t, ledger, rawEvents(n, 0))
	gap := 2*batchLen + 10 // index of the message removed, in the third batch
	if err := stream.DeleteMsg(t.Context(), seqs[gap]); err != nil {
		t.Fatal(err)
	}
	seqs = slices.Delete(seqs, gap, gap+1)

	var batched int
	next, err := l.readBatched(t.Context(), 1, func(uint64, []byte) error { batched++; return nil })
	if err != nil || next != 2*batchLen+1 || batched != 2*batchLen {
		t.Fatalf("readBatched = %d, %v after %d messages; want %d, nil after the two whole batches", next, err, batched, 2*batchLen+1)
	}
	got := collect(t, l, 1, n-1)
	for i, e := range got {
		k := i
		if i >= gap {
			k++
		}
		if e.Sequence != seqs[i] || e.ID != fmt.Sprintf("e-%d", k) {
			t.Fatalf("event %d: sequence %d, id %s; want %d, e-%d", i, e.Sequence, e.ID, seqs[i], k)
		}
	}
}

// TestBatchedReadStopsOnTheCallersError checks that an error from the callback ends a batched
// read at once and is returned, and that a subscription ended by its context returns nil.
func TestBatchedReadStopsOnTheCallersError(t *testing.T) {
	l := openLog(t)
	storeRaw(t, l, rawEvents(batchedMin, 0))
	stop := errors.New("stop here")
	var seen int
	err := l.Subscribe(t.Context(), "", 1, func(events.Envelope) error {
		if seen++; seen == batchLen+10 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || seen != batchLen+10 {
		t.Fatalf("subscribe returned %v after %d events, want the callback's error after %d", err, seen, batchLen+10)
	}
	ctx, cancel := context.WithCancel(t.Context())
	seen = 0
	err = l.Subscribe(ctx, "", 1, func(events.Envelope) error {
		if seen++; seen == 10 {
			cancel()
		}
		return nil
	})
	if err != nil {
		t.Fatalf("subscribe ended by its context returned %v, want nil", err)
	}
}

// TestDirectBatchVouchesOnlyForWholeBatches checks the batch bookkeeping on the answers a server
// may give: a whole batch, with or without headers, one with a sequence skipped, an error status,
// and more messages than were asked for.
func TestDirectBatchVouchesOnlyForWholeBatches(t *testing.T) {
	data := func() *nats.Msg { return &nats.Msg{Data: []byte(`{}`)} }
	headed := func(seq string) *nats.Msg {
		return &nats.Msg{Data: []byte(`{}`), Header: nats.Header{"Nats-Msg-Id": {"x"}, "Nats-Sequence": {seq}}}
	}
	status := func(code, last string) *nats.Msg {
		return &nats.Msg{Header: nats.Header{"Status": {code}, "Nats-Last-Sequence": {last}}}
	}
	for _, tc := range []struct {
		name   string
		answer []*nats.Msg
		added  bool // every message taken
		whole  bool
	}{
		{"more than asked for", []*nats.Msg{data(), data(), data(), data()}, false, false},
		{"three from 10", []*nats.Msg{data(), data(), data(), status("204", "12")}, true, true},
		{"a sequence skipped", []*nats.Msg{data(), data(), data(), status("204", "13")}, true, false},
		{"nothing but the status", []*nats.Msg{status("204", "9")}, true, false},
		{"not found", []*nats.Msg{status("404", "")}, false, false},
		{"headers kept", []*nats.Msg{headed("10"), headed("11"), headed("12"), status("204", "12")}, true, true},
		{"headers naming another sequence", []*nats.Msg{headed("10"), headed("12")}, false, false},
	} {
		b := directBatch{start: 10, want: 3}
		added := true
		for _, m := range tc.answer {
			added = added && b.add(m)
		}
		whole := b.whole()
		if added != tc.added || (added && whole != tc.whole) {
			t.Errorf("%s: added %v, whole %v; want %v, %v", tc.name, added, whole, tc.added, tc.whole)
		}
	}
}

// BenchmarkReadEveryEvent reads 50,000 stored events of about 600 bytes by batched direct gets
// and through an ordered consumer, with the process's CPU per event.
func BenchmarkReadEveryEvent(b *testing.B) {
	l, err := Open(b.Context(), Options{DataDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	const n = 50_000
	msgs := make([]*nats.Msg, n)
	for i := range msgs {
		msgs[i] = rawMsg(events.Subject("north", "item", "a"), fmt.Appendf(nil, `{"id":"e-%d","pad":"%0580d"}`, i, i))
	}
	storeRaw(b, l, msgs)
	filter := events.SubjectPrefix + ".>"
	for _, read := range []struct {
		name string
		read func(ctx context.Context, count func()) error
	}{
		{"direct-batches", func(ctx context.Context, count func()) error {
			_, err := l.readBatched(ctx, 1, func(uint64, []byte) error { count(); return nil })
			return err
		}},
		{"ordered-consumer", func(ctx context.Context, count func()) error {
			return l.consume(ctx, filter, 1, false, func(jetstream.Msg) error { count(); return nil })
		}},
	} {
		b.Run(read.name, func(b *testing.B) {
			var cpu time.Duration
			for b.Loop() {
				got := 0
				start := logtest.ProcessCPU()
				if err := read.read(b.Context(), func() { got++ }); err != nil || got != n {
					b.Fatalf("read %d of %d: %v", got, n, err)
				}
				cpu += logtest.ProcessCPU() - start
			}
			b.ReportMetric(float64(cpu)/float64(b.N*n)/1e3, "cpu-µs/event")
		})
	}
}

// TestBatchedReadLeavesOtherSubjectsToTheConsumer checks that a stream configured with more
// subjects than the events' is not read by batches, which cannot tell its messages apart, and
// that a subscription still delivers the events alone.
func TestBatchedReadLeavesOtherSubjectsToTheConsumer(t *testing.T) {
	l := openLog(t)
	cfg := l.stream.CachedInfo().Config
	cfg.Subjects = append(cfg.Subjects, "other.>")
	if _, err := l.js.UpdateStream(t.Context(), cfg); err != nil {
		t.Fatal(err)
	}
	seqs := storeRaw(t, l, rawEvents(batchedMin, 0))
	storeRaw(t, l, []*nats.Msg{rawMsg("other.x", []byte(`{"id":"other"}`))})
	seqs = append(seqs, storeRaw(t, l, rawEvents(1, batchedMin))...)
	next, err := l.readBatched(t.Context(), 1, func(uint64, []byte) error {
		t.Fatal("a batched read delivered a message of a stream with other subjects")
		return nil
	})
	if next != 1 || err != nil {
		t.Fatalf("readBatched = %d, %v; want 1, nil", next, err)
	}
	got := collect(t, l, 1, len(seqs))
	for i, e := range got {
		if e.Sequence != seqs[i] || e.ID != fmt.Sprintf("e-%d", i) {
			t.Fatalf("event %d: sequence %d, id %s; want %d, e-%d", i, e.Sequence, e.ID, seqs[i], i)
		}
	}
}

// TestBatchedReadOnACluster reads far behind on a stream of three replicas, where any of them may
// answer a batch, and checks that a subscription delivers each event once, in order, with its own
// sequence.
func TestBatchedReadOnACluster(t *testing.T) {
	c := natstest.Start(t, 3)
	l, err := Open(t.Context(), Options{URL: c.URLs(0), Replicas: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	n := batchedMin + 300
	seqs := storeRaw(t, l, rawEvents(n, 0))
	got := collect(t, l, 1, n)
	for i, e := range got {
		if e.Sequence != seqs[i] || e.ID != fmt.Sprintf("e-%d", i) {
			t.Fatalf("event %d: sequence %d, id %s; want %d, e-%d", i, e.Sequence, e.ID, seqs[i], i)
		}
	}
}
