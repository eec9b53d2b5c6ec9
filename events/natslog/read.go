package natslog

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/wsledger/wsledger/events"
)

// consume delivers stored messages that match filter from sequence from on, in order, through
// an ordered consumer. With follow false it stops once it has delivered everything stored when
// the consumer started; with follow true it waits for new messages until ctx ends.
//
// On a replicated stream a consumer is placed on any replica, and one that lags delivers only
// what it holds. A finished read there first asks the stream leader for the last message that
// matches, and reads on until it has delivered that one: what it returns is at least what the
// stream held when the read began, as on a single server.
func (l *Log) consume(ctx context.Context, filter string, from uint64, follow bool, fn func(jetstream.Msg) error) error {
	if follow || l.opts.Replicas <= 1 {
		return l.consumeOnce(ctx, filter, from, follow, false, fn)
	}
	want, err := l.leaderLast(ctx, filter)
	if err != nil {
		return err
	}
	var seen uint64
	track := func(m jetstream.Msg) error {
		seen = msgSeq(m)
		return fn(m)
	}
	for attempt := 0; ; attempt++ {
		if err := l.consumeOnce(ctx, filter, from, false, false, track); err != nil {
			return err
		}
		if want < from || seen >= want {
			return nil
		}
		if attempt == laggingReplicaRetries {
			return fmt.Errorf("%w: the replicas read delivered up to sequence %d of %d", errStalled, seen, want)
		}
		from = max(from, seen+1)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(laggingReplicaWait):
		}
	}
}

// A read that a lagging replica cut short reads on after laggingReplicaWait, at most
// laggingReplicaRetries times.
const (
	laggingReplicaWait    = 100 * time.Millisecond
	laggingReplicaRetries = 50
)

// leaderLast returns, from the stream leader, the sequence of the last message matching
// filter (0 when none does). Direct gets and consumers may be answered by a replica that lags;
// the stream API's message get is answered by the leader only.
func (l *Log) leaderLast(ctx context.Context, filter string) (uint64, error) {
	if filter == events.SubjectPrefix+".>" {
		return l.lastSequence(ctx)
	}
	ctx, cancel := context.WithTimeout(ctx, l.infoTimeout())
	defer cancel()
	req, _ := json.Marshal(struct {
		LastFor string `json:"last_by_subj"`
	}{filter})
	m, err := l.nc.RequestWithContext(ctx, "$JS.API.STREAM.MSG.GET."+l.name, req)
	if err != nil {
		return 0, fmt.Errorf("natslog: last message of %s: %w", filter, err)
	}
	var resp struct {
		Message *struct {
			Seq uint64 `json:"seq"`
		} `json:"message"`
		Error *jetstream.APIError `json:"error"`
	}
	if err := json.Unmarshal(m.Data, &resp); err != nil {
		return 0, fmt.Errorf("natslog: last message of %s: %w", filter, err)
	}
	switch {
	case resp.Error != nil && resp.Error.ErrorCode == jetstream.JSErrCodeMessageNotFound:
		return 0, nil
	case resp.Error != nil:
		return 0, fmt.Errorf("natslog: last message of %s: %w", filter, resp.Error)
	case resp.Message == nil:
		return 0, fmt.Errorf("natslog: last message of %s: an empty answer", filter)
	}
	return resp.Message.Seq, nil
}

// consumeFrom reads on from a sequence after a stall; stalled says this is the second try.
func (l *Log) consumeFrom(ctx context.Context, filter string, from uint64, fn func(jetstream.Msg) error, stalled bool) error {
	return l.consumeOnce(ctx, filter, from, false, stalled, fn)
}

func (l *Log) consumeOnce(ctx context.Context, filter string, from uint64, follow, stalled bool, fn func(jetstream.Msg) error) error {
	if !follow && !stalled && from > 1 {
		if done, err := l.readDirect(ctx, filter, from, fn); done {
			return err
		}
	}
	cfg := jetstream.OrderedConsumerConfig{DeliverPolicy: jetstream.DeliverAllPolicy, InactiveThreshold: consumerIdle}
	if filter != "" {
		cfg.FilterSubjects = []string{filter}
	}
	if from > 1 {
		cfg.DeliverPolicy = jetstream.DeliverByStartSequencePolicy
		cfg.OptStartSeq = from
	}
	cons, err := l.js.OrderedConsumer(ctx, l.name, cfg)
	if err != nil {
		return fmt.Errorf("natslog: open consumer: %w", err)
	}
	defer l.dropConsumer(cons)
	if !follow && cons.CachedInfo().NumPending == 0 {
		return nil
	}
	msgs, err := cons.Messages(jetstream.PullMaxMessages(2048))
	if err != nil {
		return fmt.Errorf("natslog: consume: %w", err)
	}
	defer msgs.Stop()
	stopOnDone := context.AfterFunc(ctx, msgs.Stop)
	defer stopOnDone()
	var last uint64 // stream sequence of the last message delivered
	for {
		var m jetstream.Msg
		var err error
		if follow {
			m, err = msgs.Next()
		} else {
			m, err = msgs.Next(jetstream.NextMaxWait(stallTimeout))
		}
		if !follow && errors.Is(err, nats.ErrTimeout) {
			// More messages match but none arrives. A consumer can be slow or lose its place
			// on a cluster: read on with a fresh one. If that one stalls at the same place the
			// store cannot load the next message (a damaged block): name it rather than wait
			// for ever.
			ictx, cancel := context.WithTimeout(ctx, stallTimeout)
			info, ierr := cons.Info(ictx)
			cancel()
			if ierr == nil && info.NumPending == 0 {
				return nil
			}
			from := max(last+1, from)
			if !stalled {
				return l.consumeFrom(ctx, filter, from, fn, true)
			}
			if ierr != nil || l.srv == nil {
				// On a cluster a second stall is more likely an election than damage, which
				// the replicas repair: end the read with an error the caller may retry.
				return fmt.Errorf("%w after sequence %d (info: %v)", errStalled, from-1, ierr)
			}
			return &events.CorruptEvent{Sequence: from, Err: fmt.Errorf("the store reports matching messages from sequence %d on but cannot deliver them", from)}
		}
		if err != nil {
			if ctx.Err() != nil {
				if follow {
					return nil
				}
				return ctx.Err()
			}
			return fmt.Errorf("natslog: read: %w", err)
		}
		if err := fn(m); err != nil {
			return err
		}
		if !follow {
			md, err := m.Metadata()
			if err != nil {
				return fmt.Errorf("natslog: message metadata: %w", err)
			}
			if md.NumPending == 0 {
				return nil
			}
			last = md.Sequence.Stream
		}
	}
}

// consumerIdle is how soon the server removes a read's consumer once nobody pulls from it.
// Every read opens one; left at the server's five minutes, a busy ledger would reach the
// stream's limit of consumers.
const consumerIdle = 10 * time.Second

// dropConsumer deletes a finished read's consumer at once, so that many reads in a row do
// not reach the stream's limit of consumers; the idle threshold is the backstop.
func (l *Log) dropConsumer(cons jetstream.Consumer) {
	info := cons.CachedInfo()
	if info == nil || info.Name == "" {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = l.js.DeleteConsumer(ctx, l.name, info.Name)
}

// stallTimeout is how long a read that has not reached the end waits for the next message
// before it concludes the store cannot deliver it.
const stallTimeout = 5 * time.Second

// decode turns a stored message into an envelope; a message that does not decode is a
// *events.CorruptEvent naming its sequence. data is the message's own buffer, which nothing
// changes, so the payload shares it rather than being copied. A read of many events passes its
// reader, which keeps one copy of their recurring texts; nil decodes without one.
func decode(r *events.EnvelopeReader, seq uint64, data []byte) (events.Envelope, error) {
	var e events.Envelope
	var err error
	if r != nil {
		err = r.Unmarshal(data, &e)
	} else {
		err = events.UnmarshalOwnedEnvelope(data, &e)
	}
	if err != nil {
		return events.Envelope{Sequence: seq}, &events.CorruptEvent{Sequence: seq, Err: err}
	}
	e.Sequence, e.Raw = seq, data
	return e, nil
}

// msgSeq returns a delivered message's stream sequence. It reads it from the acknowledgement
// subject, where a consumer's message carries it, rather than through Metadata, which allocates
// the whole metadata for every event a rebuild reads.
func msgSeq(m jetstream.Msg) uint64 {
	if seq, ok := ackStreamSeq(m.Reply()); ok {
		return seq
	}
	md, err := m.Metadata()
	if err != nil {
		return 0
	}
	return md.Sequence.Stream
}

// ackStreamSeq reads the stream sequence from a JetStream acknowledgement subject, as nats.go's
// Metadata does: $JS.ACK.<stream>.<consumer>.<delivered>.<stream seq>.<consumer seq>.<time>.<pending>,
// or with <domain>.<account hash> after $JS.ACK and one more token at the end (11 tokens or more).
func ackStreamSeq(reply string) (uint64, bool) {
	const prefix = "$JS.ACK."
	if !strings.HasPrefix(reply, prefix) {
		return 0, false
	}
	var tokens [10]string // the first ten tokens after the prefix
	n := strings.Count(reply, ".") + 1
	rest := reply[len(prefix):]
	for i := range tokens {
		var ok bool
		if tokens[i], rest, ok = strings.Cut(rest, "."); !ok {
			break
		}
	}
	var tok string
	switch {
	case n == 9:
		tok = tokens[3]
	case n >= 11:
		tok = tokens[5]
	default:
		return 0, false
	}
	seq, err := strconv.ParseUint(tok, 10, 64)
	return seq, err == nil
}

// Read implements events.Log.
func (l *Log) Read(ctx context.Context, opts events.ReadOptions) iter.Seq2[events.Envelope, error] {
	return func(yield func(events.Envelope, error) bool) {
		filter := events.SubjectPrefix + ".>"
		if opts.Provider != "" {
			if err := events.CheckProvider(opts.Provider); err != nil {
				yield(events.Envelope{}, err)
				return
			}
			filter = events.ProviderFilter(opts.Provider)
		}
		errStop := errors.New("stop")
		var reader events.EnvelopeReader
		deliver := func(seq uint64, data []byte) error {
			e, err := decode(&reader, seq, data)
			if err == nil && !opts.AsOf.IsZero() {
				at := e.RecordedAt
				if opts.Clock == events.Occurred {
					at = e.OccurredAt
				}
				if at.After(opts.AsOf) {
					// recorded_at only grows along a provider's chain, so a provider read on
					// that clock can stop at the first later event.
					if opts.Provider != "" && opts.Clock != events.Occurred {
						return errStop
					}
					return nil
				}
			}
			if !yield(e, err) {
				return errStop
			}
			return nil
		}
		err := l.deliverFrom(ctx, opts.Provider == "", filter, opts.From, false, deliver)
		if err != nil && !errors.Is(err, errStop) {
			yield(events.Envelope{}, l.readAnswer(ctx, "read", err))
		}
	}
}

// Subscribe implements events.Log.
func (l *Log) Subscribe(ctx context.Context, provider string, from uint64, fn func(events.Envelope) error) error {
	filter := events.SubjectPrefix + ".>"
	if provider != "" {
		if err := events.CheckProvider(provider); err != nil {
			return err
		}
		filter = events.ProviderFilter(provider)
	}
	var reader events.EnvelopeReader
	var stopped error // an event that does not decode, or fn's error: returned whatever ctx says
	deliver := func(seq uint64, data []byte) error {
		e, err := decode(&reader, seq, data)
		if err == nil {
			err = fn(e)
		}
		stopped = err
		return err
	}
	err := l.deliverFrom(ctx, provider == "", filter, from, true, deliver)
	if err != nil && stopped == nil && ctx.Err() != nil {
		return nil // ended by ctx, wherever the read was
	}
	return err
}

// deliverFrom passes deliver each stored message matching filter from sequence from on, in
// order, as consume does; a read of every event (all) far behind the end first reads up to it
// by direct gets (see readBatched), and the consumer goes on from where they stopped.
func (l *Log) deliverFrom(ctx context.Context, all bool, filter string, from uint64, follow bool, deliver func(seq uint64, data []byte) error) error {
	if all {
		var err error
		if from, err = l.readBatched(ctx, max(from, 1), deliver); err != nil {
			return err
		}
	}
	return l.consume(ctx, filter, from, follow, func(m jetstream.Msg) error { return deliver(msgSeq(m), m.Data()) })
}

// LastSequence implements events.Log.
func (l *Log) LastSequence(ctx context.Context) (uint64, error) {
	last, err := l.lastSequence(ctx)
	return last, l.readAnswer(ctx, "stream info", err)
}

// lastSequence is LastSequence with the store's own error, for Open and the log's own uses.
func (l *Log) lastSequence(ctx context.Context) (uint64, error) {
	// Without a leader (an election) the request gets no answer at all: give up soon, so that
	// the caller answers unavailable and its client retries, rather than waiting out its own
	// deadline.
	ctx, cancel := context.WithTimeout(ctx, l.infoTimeout())
	defer cancel()
	info, err := l.stream.Info(ctx)
	if err != nil {
		return 0, fmt.Errorf("natslog: stream info: %w", err)
	}
	return info.State.LastSeq, nil
}

// infoTimeout bounds one request for the stream's state: on a replicated stream a request that
// gets no answer in a second is most likely waiting for a leader to be elected, and the caller
// does better to answer unavailable at once and be retried than to wait.
func (l *Log) infoTimeout() time.Duration {
	if l.opts.Replicas > 1 {
		return time.Second
	}
	return 3 * time.Second
}

// getMsg loads one stored message by stream sequence.
func (l *Log) getMsg(ctx context.Context, seq uint64) (events.Envelope, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	m, err := l.stream.GetMsg(ctx, seq)
	if err != nil {
		return events.Envelope{}, fmt.Errorf("natslog: get message %d: %w", seq, err)
	}
	return decode(nil, seq, m.Data)
}

// readTip reads the stream's last sequence and last message id.
func (l *Log) readTip(ctx context.Context) error {
	last, err := l.lastSequence(ctx)
	if err != nil || last == 0 {
		return err
	}
	l.mu.Lock()
	l.last = last
	l.mu.Unlock()
	m, err := l.stream.GetMsg(ctx, last)
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		// The stream counts a last message it no longer holds: its end was cut. The ledger
		// still opens, for reads and verification to name the damage, but refuses appends.
		l.markDamaged(l.firstUnreadable(ctx, last), last)
		return nil
	}
	if err != nil {
		// Without the last message id, the next append still carries the sequence check.
		l.log.Warn("the stream's last message cannot be read; run wsledger verify", "sequence", last, "error", err)
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lastID = m.Header.Get(jetstream.MsgIDHeader)
	return nil
}

// Missing implements events.StoreChecker. The stream denies deletion, so every sequence from
// 1 to its last that it does not deliver was removed behind the ledger's back, or lost to damage
// the server found in its block files (which it may count but skip). It reads the whole stream,
// headers only.
func (l *Log) Missing(ctx context.Context) ([]uint64, error) {
	info, err := l.stream.Info(ctx, jetstream.WithDeletedDetails(true))
	if err != nil {
		return nil, fmt.Errorf("natslog: stream info: %w", err)
	}
	last := info.State.LastSeq
	seen := make([]bool, last+1)
	deleted := map[uint64]bool{} // the server's own word: gone from a stream that denies deletion
	for _, s := range info.State.Deleted {
		deleted[s] = true
	}
	cons, err := l.js.OrderedConsumer(ctx, l.name, jetstream.OrderedConsumerConfig{HeadersOnly: true, InactiveThreshold: consumerIdle})
	if err != nil {
		return nil, fmt.Errorf("natslog: open consumer: %w", err)
	}
	defer l.dropConsumer(cons)
	// end is the last sequence the scan can speak for: the last one delivered, unless the
	// consumer stalls with messages still pending, which means the store cannot deliver them.
	// (A consumer on a cluster can lag the leader's last sequence; that is not a loss.)
	var end uint64
	if cons.CachedInfo().NumPending > 0 {
		msgs, err := cons.Messages(jetstream.PullMaxMessages(4096))
		if err != nil {
			return nil, fmt.Errorf("natslog: consume: %w", err)
		}
		defer msgs.Stop()
		for {
			m, err := msgs.Next(jetstream.NextMaxWait(stallTimeout))
			if errors.Is(err, nats.ErrTimeout) {
				// A stalled consumer may only be slow: a message counts as missing when the
				// stream itself cannot return it either.
				for seq := end + 1; seq <= last; seq++ {
					gctx, cancel := context.WithTimeout(ctx, 5*time.Second)
					_, gerr := l.stream.GetMsg(gctx, seq)
					cancel()
					if gerr == nil {
						seen[seq] = true
					}
				}
				end = last
				break
			}
			if err != nil {
				return nil, fmt.Errorf("natslog: read: %w", err)
			}
			md, err := m.Metadata()
			if err != nil {
				return nil, err
			}
			if s := md.Sequence.Stream; s <= last {
				seen[s] = true
				end = max(end, s)
			}
			if md.Sequence.Stream >= last || md.NumPending == 0 {
				break
			}
		}
	}
	last = min(last, end)
	var missing []uint64
	for seq := uint64(1); seq < uint64(len(seen)); seq++ {
		if deleted[seq] || (seq <= last && !seen[seq]) {
			missing = append(missing, seq)
		}
	}
	if from, to, ok := tailLost(missing, info.State.LastSeq); ok {
		l.markDamaged(from, to)
	}
	return append(missing, l.lostBeyond(info.State.LastSeq)...), nil
}
