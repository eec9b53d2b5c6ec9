package natslog

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"golang.org/x/mod/semver"

	"github.com/wsledger/wsledger/events"
)

// A read or subscription of every event that starts far behind the stream's end (a projection
// rebuilt or resumed from an old snapshot, the provider index catching up as the log opens)
// first reads up to the end by batched direct gets, and only then opens its ordered consumer. A
// message read that way is its stored bytes alone (the request asks for no headers, which
// servers from 2.12 on honour) and keeps no consumer state, which takes a fifth to a third of
// the CPU an event off the read (BenchmarkReadEveryEvent) and half the allocations off a
// rebuild's (BenchmarkRebuild in cmd/wsledger/internal/bench).
//
// Without headers a message does not carry its sequence. Each batch is asked for from a sequence
// on, and ends with the server's end-of-batch status, which names the last sequence it sent: a
// batch of n messages from s whose last is s+n-1 holds every message from s to s+n-1, in order.
// A batch that does not (a message the store skipped or could not load, a replica that lags, an
// answer cut short) is not delivered, and the consumer reads on from its first sequence, as it
// would have from the start.
const (
	// batchLen is how many messages one direct get asks for.
	batchLen = 1024
	// batchesAhead is how many batches are asked for before the first of them is delivered,
	// so that the server loads the next batch while the reader decodes this one.
	batchesAhead = 2
	// batchedMin is the fewest messages behind the end for which a read goes by direct
	// gets: below it, a consumer reads them as fast.
	batchedMin = 4 * batchLen
)

// directBatchVersion is the first server version that answers a direct get of a batch. Before
// 2.12 the answer keeps the stored headers and adds the message's sequence, which add checks.
const directBatchVersion = "v2.11.0"

// readBatched delivers, by batched direct gets, the stream's messages from sequence from up to
// its last when it is called, and returns the sequence to read on from: past the last message
// delivered. It delivers nothing, and returns from, when fewer than batchedMin messages are left,
// when the stream holds other subjects than the events' (a batch cannot filter them out cheaply:
// the store would match each message's subject), or when the server is older than
// directBatchVersion. It stops at the first batch it cannot vouch for (see above) and returns
// that batch's start. Only an error from deliver, or ctx ending, is returned as an error.
func (l *Log) readBatched(ctx context.Context, from uint64, deliver func(seq uint64, data []byte) error) (uint64, error) {
	v := "v" + l.nc.ConnectedServerVersion()
	if !semver.IsValid(v) || semver.Compare(v, directBatchVersion) < 0 {
		return from, nil
	}
	ictx, cancel := context.WithTimeout(ctx, l.infoTimeout())
	info, err := l.stream.Info(ictx)
	cancel()
	if err != nil || !slices.Equal(info.Config.Subjects, []string{events.SubjectPrefix + ".>"}) {
		return from, nil // the consumer reads them, and reports what failed
	}
	last := info.State.LastSeq
	if last < from || last-from+1 < batchedMin {
		return from, nil
	}
	inbox := l.nc.NewInbox()
	// Every message of the batches asked for fits in the channel, so that the client never
	// drops one for a slow reader.
	msgs := make(chan *nats.Msg, batchesAhead*(batchLen+1))
	sub, err := l.nc.ChanSubscribe(inbox+".*", msgs)
	if err != nil {
		return from, nil
	}
	defer sub.Unsubscribe()
	subject := "$JS.API.DIRECT.GET." + l.name
	var batches []directBatch // asked for and not yet delivered, in order
	next := from              // the first sequence not yet asked for
	ask := func() {
		if next > last {
			return
		}
		b := directBatch{start: next, want: int(min(batchLen, last-next+1))}
		req := fmt.Appendf(nil, `{"seq":%d,"batch":%d,"no_hdr":true}`, b.start, b.want)
		if l.nc.PublishRequest(subject, inbox+"."+strconv.FormatUint(b.start, 10), req) == nil {
			b.msgs = make([]*nats.Msg, 0, b.want)
			batches = append(batches, b)
			next += uint64(b.want)
		}
	}
	for range batchesAhead {
		ask()
	}
	stall := time.NewTimer(stallTimeout)
	defer stall.Stop()
	for len(batches) > 0 {
		var m *nats.Msg
		select {
		case m = <-msgs:
		case <-stall.C:
			return batches[0].start, nil
		case <-ctx.Done():
			return batches[0].start, ctx.Err()
		}
		start, err := strconv.ParseUint(m.Subject[len(inbox)+1:], 10, 64)
		i := slices.IndexFunc(batches, func(b directBatch) bool { return b.start == start })
		if err != nil || i < 0 {
			continue // a late answer to a batch given up
		}
		if !batches[i].add(m) {
			return batches[0].start, nil
		}
		for len(batches) > 0 && batches[0].ended {
			b := batches[0]
			if !b.whole() {
				return b.start, nil
			}
			for j, m := range b.msgs {
				if err := deliver(b.start+uint64(j), m.Data); err != nil {
					return b.start + uint64(j), err
				}
			}
			batches[0] = directBatch{} // let its messages go
			batches = batches[1:]
			// Time a stall from here: delivering may wait for the caller, for as long as
			// it takes.
			stall.Reset(stallTimeout)
			if len(b.msgs) < b.want {
				// A short batch: a replica's store ends there, or the byte limit of one
				// answer cut it. The consumer reads on.
				return b.start + uint64(len(b.msgs)), nil
			}
			ask()
		}
	}
	return next, nil
}

// directBatch is one batch of a batched read: what it asked for, the messages answered so far
// and, once the end-of-batch status came, the last sequence the server says it sent.
type directBatch struct {
	start   uint64
	want    int
	msgs    []*nats.Msg
	ended   bool
	lastSeq uint64
}

// add takes one message of the batch's answer; it reports false for one that the read cannot
// use: an error status, a message whose Nats-Sequence header (sent by servers that keep headers
// in the answer) is not the next sequence, or more messages than were asked for.
func (b *directBatch) add(m *nats.Msg) bool {
	if m.Header.Get("Status") == "" {
		if seq := m.Header.Get(jetstream.SequenceHeader); seq != "" && seq != strconv.FormatUint(b.start+uint64(len(b.msgs)), 10) {
			return false
		}
		b.msgs = append(b.msgs, m)
		return len(b.msgs) <= b.want
	}
	if len(m.Data) != 0 || m.Header.Get("Status") != "204" {
		return false
	}
	seq, err := strconv.ParseUint(m.Header.Get(jetstream.LastSequenceHeader), 10, 64)
	b.ended, b.lastSeq = true, seq
	return err == nil
}

// whole reports whether the batch's messages are every message from its start to the last
// sequence its end-of-batch status names.
func (b *directBatch) whole() bool {
	n := len(b.msgs)
	return n > 0 && b.lastSeq == b.start+uint64(n)-1
}
