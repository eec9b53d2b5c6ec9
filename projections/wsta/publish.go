package wsta

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/wsledger/wsledger/events"
)

// publishNotice publishes one event's notice, unless the stream already holds it.
func (f *Feed) publishNotice(ctx context.Context, e events.Envelope, kind string) error {
	body, err := json.Marshal(Notice{
		Kind: kind, Provider: e.Provider, LedgerSequence: e.Sequence,
		OccurredAt: e.OccurredAt, RecordedAt: e.RecordedAt, Event: e,
	})
	if err != nil {
		return err
	}
	m := nats.NewMsg(Subject(e.Provider, kind))
	m.Data = body
	m.Header.Set(jetstream.MsgIDHeader, e.ID)
	m.Header.Set(HeaderLedgerSequence, strconv.FormatUint(e.Sequence, 10))
	m.Header.Set(HeaderKind, kind)
	return f.publish(ctx, m, e.Sequence)
}

// Retry delays after a publish that failed for another reason than a moved stream.
const (
	firstRetry = 100 * time.Millisecond
	lastRetry  = 5 * time.Second
)

// publish stores m on the WSTA stream on top of the last message this feed saw. A notice
// (ledgerSeq > 0) the stream already holds is skipped, as is a message JetStream reports as a
// duplicate. When another writer moved the stream on, the feed reads where it stands and tries
// again; other failures are retried with backoff until ctx ends.
func (f *Feed) publish(ctx context.Context, m *nats.Msg, ledgerSeq uint64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	wait := firstRetry
	for {
		if !f.synced {
			if err := f.sync(ctx); err != nil {
				if !f.backoff(ctx, &wait, err) {
					return ctx.Err()
				}
				continue
			}
		}
		if ledgerSeq > 0 && ledgerSeq <= f.published {
			return nil
		}
		ack, err := f.js.PublishMsg(ctx, m, jetstream.WithExpectLastSequence(f.last))
		switch {
		case err == nil && ack.Duplicate:
			// Stored before, within the duplicate window: nothing to add; learn where the
			// stream stands before the next publish.
			f.synced = false
			return nil
		case err == nil:
			f.last = ack.Sequence
			if ledgerSeq > 0 {
				f.published = ledgerSeq
			}
			return nil
		case wrongLastSequence(err):
			f.synced = false // another writer moved the stream on
		default:
			f.synced = false
			if !f.backoff(ctx, &wait, err) {
				return ctx.Err()
			}
		}
	}
}

func wrongLastSequence(err error) bool {
	var api *jetstream.APIError
	return errors.As(err, &api) &&
		(api.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequence || api.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequenceConstant)
}

// backoff logs a failed publish and waits before the next try; false when ctx ended.
func (f *Feed) backoff(ctx context.Context, wait *time.Duration, err error) bool {
	f.logger.Warn("publishing to WSTA failed; retrying", "err", err, "in", *wait)
	select {
	case <-ctx.Done():
		return false
	case <-time.After(*wait):
	}
	*wait = min(2**wait, lastRetry)
	return true
}

// sync reads the stream's last sequence and the ledger sequence of the last notice it holds,
// walking back past digests, which carry none. f.mu is held.
func (f *Feed) sync(ctx context.Context) error {
	info, err := f.stream.Info(ctx)
	if err != nil {
		return fmt.Errorf("wsta: stream info: %w", err)
	}
	f.last, f.published = info.State.LastSeq, 0
	for seq := info.State.LastSeq; seq >= info.State.FirstSeq && seq > 0; seq-- {
		m, err := f.stream.GetMsg(ctx, seq)
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			continue
		}
		if err != nil {
			return fmt.Errorf("wsta: read message %d: %w", seq, err)
		}
		if h := m.Header.Get(HeaderLedgerSequence); h != "" {
			if f.published, err = strconv.ParseUint(h, 10, 64); err != nil {
				return fmt.Errorf("wsta: message %d has a malformed %s header %q", seq, HeaderLedgerSequence, h)
			}
			break
		}
	}
	f.synced = true
	return nil
}
