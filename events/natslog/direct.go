package natslog

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// directMax is the most messages a finished read fetches one by one with direct gets instead
// of through an ordered consumer. A writer catching up after another wrote, or after a leader
// election, usually has a few messages to read; a consumer for them is created through the
// JetStream meta leader, which may itself be moving, while a direct get is answered by any
// server that holds the stream.
const directMax = 64

// readDirect delivers the messages matching filter from sequence from to the stream's end by
// direct gets, when there are at most directMax of them. It reports false, having delivered
// nothing, when there are more or when a get fails (a replica that lags, a message the store
// cannot load): the caller then reads through a consumer, which knows how to wait and to name
// damage.
func (l *Log) readDirect(ctx context.Context, filter string, from uint64, fn func(jetstream.Msg) error) (bool, error) {
	ictx, cancel := context.WithTimeout(ctx, time.Second)
	info, err := l.stream.Info(ictx)
	cancel()
	if err != nil {
		return false, nil
	}
	last := info.State.LastSeq
	if last < from {
		return true, nil
	}
	if last-from+1 > directMax {
		return false, nil
	}
	prefix := strings.TrimSuffix(filter, ">")
	msgs := make([]*jetstream.RawStreamMsg, 0, last-from+1)
	for seq := from; seq <= last; seq++ {
		gctx, cancel := context.WithTimeout(ctx, time.Second)
		m, err := l.stream.GetMsg(gctx, seq)
		cancel()
		if err != nil {
			return false, nil
		}
		if strings.HasPrefix(m.Subject, prefix) {
			msgs = append(msgs, m)
		}
	}
	for i, m := range msgs {
		if err := fn(&directMsg{m: m, pending: uint64(len(msgs) - 1 - i), stream: l.name}); err != nil {
			return true, err
		}
	}
	return true, nil
}

// directMsg is a message read by direct get, seen as a consumer's message by the code that
// reads: its data, headers and stream sequence. It cannot be acknowledged, and needs not be.
type directMsg struct {
	m       *jetstream.RawStreamMsg
	pending uint64
	stream  string
}

var errNotConsumed = errors.New("natslog: a message read by direct get has no consumer to answer")

func (d *directMsg) Metadata() (*jetstream.MsgMetadata, error) {
	return &jetstream.MsgMetadata{Sequence: jetstream.SequencePair{Stream: d.m.Sequence}, NumPending: d.pending,
		Timestamp: d.m.Time, Stream: d.stream}, nil
}
func (d *directMsg) Data() []byte                     { return d.m.Data }
func (d *directMsg) Headers() nats.Header             { return d.m.Header }
func (d *directMsg) Subject() string                  { return d.m.Subject }
func (d *directMsg) Reply() string                    { return "" }
func (d *directMsg) Ack() error                       { return errNotConsumed }
func (d *directMsg) DoubleAck(context.Context) error  { return errNotConsumed }
func (d *directMsg) Nak() error                       { return errNotConsumed }
func (d *directMsg) NakWithDelay(time.Duration) error { return errNotConsumed }
func (d *directMsg) InProgress() error                { return errNotConsumed }
func (d *directMsg) Term() error                      { return errNotConsumed }
func (d *directMsg) TermWithReason(string) error      { return errNotConsumed }
