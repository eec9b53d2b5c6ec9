package natslog

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nuid"
)

// JetStream error codes the sequencer branches on.
const (
	errWrongLastMsgID            = 10070 // the stream's last message is not the one expected
	errWrongLastSequence         = 10071 // expected sequence differs; carries the current one
	errWrongLastSequenceConstant = 10164 // the clustered form, and batch-internal CAS clashes
)

// pubError is an error JetStream returned for a publish.
type pubError struct {
	Code        int    `json:"code"`
	ErrCode     int    `json:"err_code"`
	Description string `json:"description"`
}

func (e *pubError) Error() string {
	return fmt.Sprintf("jetstream: %s (error %d)", e.Description, e.ErrCode)
}

func (e *pubError) casFailed() bool {
	switch e.ErrCode {
	case errWrongLastMsgID, errWrongLastSequence, errWrongLastSequenceConstant:
		return true
	}
	return false
}

// errUnacknowledged marks a publish whose outcome is unknown (no reply in time, connection lost):
// the events may or may not be stored.
var errUnacknowledged = errors.New("natslog: publish not acknowledged")

type pubAck struct {
	Stream string    `json:"stream"`
	Seq    uint64    `json:"seq"`
	Count  uint64    `json:"count"`
	Error  *pubError `json:"error"`
}

// publish stores msgs as one unit and returns the stream sequence of the last one. One message
// is a plain publish; more are a JetStream atomic batch: every message carries the batch id and
// its place, only the last asks for a reply, and the server stores all of them or none.
func (l *Log) publish(deadline time.Time, msgs []*nats.Msg) (uint64, error) {
	last := msgs[len(msgs)-1]
	if len(msgs) > 1 {
		id := nuid.Next()
		for i, m := range msgs {
			m.Header.Set("Nats-Batch-Id", id)
			m.Header.Set("Nats-Batch-Sequence", strconv.Itoa(i+1))
		}
		last.Header.Set("Nats-Batch-Commit", "1")
		for _, m := range msgs[:len(msgs)-1] {
			if err := l.nc.PublishMsg(m); err != nil {
				return 0, fmt.Errorf("%w: %v", errUnacknowledged, err)
			}
		}
	}
	token, err := l.acks.send(l.nc, last)
	if err != nil {
		return 0, fmt.Errorf("%w: %v", errUnacknowledged, err)
	}
	ack, err := l.acks.wait(deadline, token)
	if err != nil {
		return 0, err
	}
	if ack.Error != nil {
		return 0, ack.Error
	}
	if len(msgs) > 1 && ack.Count != uint64(len(msgs)) {
		return 0, fmt.Errorf("natslog: batch stored %d of %d messages", ack.Count, len(msgs))
	}
	return ack.Seq, nil
}

// tip returns the compare-and-set headers for a message stored on top of the stream as this
// log last saw it.
func (l *Log) tip() (last uint64, lastID string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.last, l.lastID
}

// pipeline publishes single-message commands back to back without waiting, each expecting the
// one before it, then collects the acknowledgements in order. It returns the commands stored and
// the ones from the first failure on, which the stream refused too.
func (l *Log) pipeline(deadline time.Time, bs []*built) (stored, failed []*built, cause error) {
	if len(bs) == 0 {
		return nil, nil, nil
	}
	last, prevID := l.tip()
	for i, b := range bs {
		m := b.msgs[0]
		if i == 0 {
			m.Header.Set(jetstream.ExpectedLastSeqHeader, strconv.FormatUint(last, 10))
		}
		if prevID != "" {
			m.Header.Set(jetstream.ExpectedLastMsgIDHeader, prevID)
		}
		prevID = m.Header.Get(jetstream.MsgIDHeader)
	}
	tokens := make([]uint64, 0, len(bs))
	for _, b := range bs {
		token, err := l.acks.send(l.nc, b.msgs[0])
		if err != nil {
			cause = fmt.Errorf("%w: %v", errUnacknowledged, err)
			break
		}
		tokens = append(tokens, token)
	}
	for i, token := range tokens {
		if cause == nil {
			ack, err := l.acks.wait(deadline, token)
			if err == nil && ack.Error != nil {
				err = ack.Error
			}
			if err == nil {
				l.stored(bs[i:i+1], ack.Seq)
				stored = append(stored, bs[i])
				continue
			}
			cause = err
		}
		failed = append(failed, bs[i])
	}
	failed = append(failed, bs[len(tokens):]...)
	return stored, failed, cause
}

// atomic stores commands as one JetStream atomic batch on an acknowledged tip.
func (l *Log) atomic(deadline time.Time, bs []*built) error {
	var msgs []*nats.Msg
	for _, b := range bs {
		msgs = append(msgs, b.msgs...)
	}
	// Atomic batches refuse Nats-Expected-Last-Msg-Id; on an acknowledged tip the sequence check
	// is as strong.
	last, _ := l.tip()
	msgs[0].Header.Set(jetstream.ExpectedLastSeqHeader, strconv.FormatUint(last, 10))
	if d := time.Now().Add(l.publishTimeout); d.Before(deadline) {
		deadline = d
	}
	seq, err := l.publish(deadline, msgs)
	if err != nil {
		return err
	}
	l.stored(bs, seq-uint64(len(msgs))+1)
	return nil
}
