package natslog

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/wsledger/wsledger/events"
)

// pending is one Append call waiting to be committed. Its requests are stored together or
// not at all.
type pending struct {
	reqs []events.AppendRequest
	res  []events.AppendResult
	err  error
	done chan struct{}
	// committed is set, by whoever commits, once a commit took this pending.
	committed bool
}

var (
	// errKeyRaced says an idempotency key was used by an append stored while this one waited.
	errKeyRaced = errors.New("natslog: idempotency key used while queued")
	// errStaleView says a request expects more of its provider than this log has seen.
	errStaleView = errors.New("natslog: the provider has events this log has not seen")
)

// publishTimeout bounds one publish on the embedded server; past it the outcome is checked
// against the stream. On a cluster a publish that gets no answer in clusterPublishTimeout is
// most likely waiting for a stream leader to be elected: checking and retrying soon lets
// appends resume as soon as there is one.
const (
	publishTimeout        = 3 * time.Second
	clusterPublishTimeout = time.Second
)

// casRetries bounds how often a batch is rebuilt after another writer moved the stream on.
const casRetries = 5

// appendOnce stores the requests once; see Append.
func (l *Log) appendOnce(ctx context.Context, reqs ...events.AppendRequest) ([]events.AppendResult, error) {
	if err := checkRequests(reqs); err != nil {
		return nil, err
	}
	res := make([]events.AppendResult, len(reqs))
	todo := make([]events.AppendRequest, 0, len(reqs))
	where := make([]int, 0, len(reqs))
	for i := range reqs {
		if _, err := l.chainFor(ctx, reqs[i].Provider); err != nil {
			return nil, err
		}
		dup, ok, err := l.duplicate(ctx, &reqs[i])
		if err != nil {
			return nil, err
		}
		if ok {
			res[i] = dup
			continue
		}
		todo = append(todo, reqs[i])
		where = append(where, i)
	}
	if len(todo) == 0 {
		return res, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p := &pending{reqs: todo, done: make(chan struct{})}
	first, err := l.enqueue(p)
	if err != nil {
		return nil, err
	}
	// Once queued, the append runs to its end whatever ctx does, so the caller can learn it.
	if first {
		l.lead(p)
	}
	<-p.done
	if p.err != nil {
		return nil, p.err
	}
	for j, i := range where {
		res[i] = p.res[j]
	}
	return res, nil
}

// duplicate returns the first result of a request whose idempotency key was used before.
func (l *Log) duplicate(ctx context.Context, r *events.AppendRequest) (events.AppendResult, bool, error) {
	if r.IdempotencyKey == "" {
		return events.AppendResult{}, false, nil
	}
	l.mu.Lock()
	k, ok := l.chains[r.Provider].keys[r.IdempotencyKey]
	l.mu.Unlock()
	if !ok {
		return events.AppendResult{}, false, nil
	}
	if k.fingerprint != "" && r.Fingerprint != "" && k.fingerprint != r.Fingerprint {
		return events.AppendResult{}, false, events.Errorf(events.Conflict, "idempotency_key",
			"The idempotency key was already used for a different command; use a new key for a new command.")
	}
	res, err := l.fetchRun(ctx, k)
	return res, err == nil, err
}

func checkRequests(reqs []events.AppendRequest) error {
	var seen map[string]bool // most appends hold one request, which needs no map
	if len(reqs) > 1 {
		seen = make(map[string]bool, len(reqs))
	}
	for i := range reqs {
		r := &reqs[i]
		if err := events.CheckProvider(r.Provider); err != nil {
			return err
		}
		if seen[r.Provider] {
			return events.Errorf(events.Invalid, "provider", "One append may hold only one request per provider.")
		}
		if seen != nil {
			seen[r.Provider] = true
		}
		if len(r.Events) == 0 {
			return events.Errorf(events.Invalid, "events", "An append needs at least one event.")
		}
		for _, f := range [...]struct{ name, text string }{{"actor.staff_id", r.Actor.StaffID}, {"actor.role", r.Actor.Role}, {"idempotency_key", r.IdempotencyKey}} {
			if err := events.CheckText(f.name, f.text); err != nil {
				return err
			}
		}
		for j := range r.Events {
			if err := events.CheckDraft(draftName(j), &r.Events[j]); err != nil {
				return err
			}
		}
	}
	return nil
}

// draftNames are the field names of a request's first events, formatted once: checkRequests
// names every event it checks, and formatting the name was half its time in a lone writer's
// profile (2% of it).
var draftNames = func() (names [8]string) {
	for i := range names {
		names[i] = fmt.Sprintf("events[%d]", i)
	}
	return names
}()

func draftName(j int) string {
	if j < len(draftNames) {
		return draftNames[j]
	}
	return fmt.Sprintf("events[%d]", j)
}

// enqueue adds p to the appends waiting for a commit, and says whether p's own call is to
// commit them: it is when no one else is committing. A lone writer thus commits its append
// itself, with no hand-off to another goroutine and back.
func (l *Log) enqueue(p *pending) (first bool, err error) {
	l.qmu.Lock()
	defer l.qmu.Unlock()
	if l.closed {
		return false, errClosed
	}
	l.waiting = append(l.waiting, p)
	first = !l.leading
	l.leading = true
	return first, nil
}

// lead commits the waiting appends a group at a time. A caller leads (me set) until its own
// append has been committed; if appends arrived meanwhile it hands the turn to the sequencer
// goroutine, which leads (me nil) until none is waiting. So one goroutine commits at a time,
// and commands that arrive during a commit are grouped into the next.
func (l *Log) lead(me *pending) {
	for {
		l.qmu.Lock()
		switch {
		case l.closed:
			waiting := l.waiting
			l.waiting, l.leading = nil, false
			l.idle.Broadcast()
			l.qmu.Unlock()
			for _, p := range waiting {
				p.err = fmt.Errorf("%w before the append was stored", errClosed)
				close(p.done)
			}
			return
		case len(l.waiting) == 0:
			l.leading = false
			l.idle.Broadcast()
			l.qmu.Unlock()
			return
		case me != nil && me.committed:
			l.qmu.Unlock()
			l.kick <- struct{}{}
			return
		}
		batch, rest := l.group(l.waiting)
		l.waiting = rest
		l.qmu.Unlock()
		for _, p := range batch {
			p.committed = true
		}
		l.commit(batch)
	}
}

// sequence leads whenever a caller hands it the turn, until the log closes.
func (l *Log) sequence() {
	defer close(l.stopped)
	for {
		select {
		case <-l.kick:
			l.lead(nil)
		case <-l.stop:
			return
		}
	}
}

// group takes pendings from waiting, in order, while the batch stays under MaxBatch messages
// and names each provider once; the others wait for the next batch.
func (l *Log) group(waiting []*pending) (batch, rest []*pending) {
	if len(waiting) == 1 {
		// A lone writer's append: a batch of its own, whatever its size (a pending's requests
		// name each provider once, checkRequests saw to that).
		return waiting, nil
	}
	providers := map[string]bool{}
	size := 0
	take := func(p *pending) bool {
		n := 0
		for _, r := range p.reqs {
			if providers[r.Provider] {
				return false
			}
			n += len(r.Events)
		}
		if size > 0 && size+n > l.opts.MaxBatch {
			return false
		}
		for _, r := range p.reqs {
			providers[r.Provider] = true
		}
		size += n
		batch = append(batch, p)
		return true
	}
	for _, p := range waiting {
		if !take(p) {
			rest = append(rest, p)
		}
	}
	return batch, rest
}

// built is one pending made into messages on the current chain heads.
type built struct {
	p    *pending
	envs [][]events.Envelope
	msgs []*nats.Msg
}

// commit stores a batch of pendings for different providers. Every message carries its event
// id as Nats-Msg-Id and the id of the message before it as Nats-Expected-Last-Msg-Id, the first
// also the stream's last sequence as this log saw it: the stream takes a message only on top of
// the one it was built on, so chain heads and idempotency keys are always current, and a failed
// message fails every later one. Single-message commands are pipelined; a command of several
// events is an atomic batch on an acknowledged tip. On a cluster, where every publish waits for
// a replica majority (groupAtomic), the whole group is one atomic batch instead. When another
// writer got there first, the log catches up with the stream and builds again; requests whose
// expectation the stream has passed fail alone as conflicts. Stored pendings are answered once,
// at the end, after the group is on disk when the log owns fsync.
func (l *Log) commit(batch []*pending) {
	deadline := time.Now().Add(3 * l.publishTimeout)
	// Publishes wait for their acknowledgements until deadline; reads of the stream (a
	// duplicate's first result, a catch-up) get a context to it, made only if one is needed.
	var ctx context.Context
	cancel := func() {}
	defer func() { cancel() }()
	readCtx := func() context.Context {
		if ctx == nil {
			ctx, cancel = context.WithDeadline(context.Background(), deadline)
		}
		return ctx
	}
	var stored []*pending
	defer func() { l.answer(stored) }()
	fresh := false
	for attempt := 0; len(batch) > 0; attempt++ {
		var singles, multis []*built
		var stale []*pending
		for _, p := range batch {
			b, err := l.build(p, fresh)
			switch {
			case errors.Is(err, errKeyRaced):
				l.settleDuplicate(readCtx(), p)
			case errors.Is(err, errStaleView):
				stale = append(stale, p)
			case err != nil:
				p.err = err
				close(p.done)
			case len(b.msgs) == 1:
				singles = append(singles, b)
			default:
				multis = append(multis, b)
			}
		}
		var ok, failed []*built
		var cause error
		if l.groupAtomic {
			// Every publish waits for a replica majority: one atomic batch for the whole group
			// shares that wait among its commands.
			if all := append(singles, multis...); len(all) > 0 {
				if cause = l.atomic(deadline, all); cause == nil {
					ok = all
				} else {
					failed = all
				}
			}
		} else {
			ok, failed, cause = l.pipeline(deadline, singles)
			for _, b := range multis {
				if cause == nil {
					if cause = l.atomic(deadline, []*built{b}); cause == nil {
						ok = append(ok, b)
						continue
					}
				}
				failed = append(failed, b)
			}
		}
		stored = append(stored, pendingsOf(ok)...)
		if len(ok) > 0 {
			l.noteRefusal(nil)
		}
		if len(failed) == 0 && len(stale) == 0 {
			return
		}
		var pe *pubError
		retry := len(failed) == 0 || errors.Is(cause, errUnacknowledged) || (errors.As(cause, &pe) && pe.casFailed())
		var found map[string]events.Envelope
		if retry && attempt < casRetries {
			var err error
			if found, err = l.catchUpStream(readCtx()); err != nil {
				if cause == nil {
					cause = errStaleView
				}
				cause, retry = fmt.Errorf("%w (and catching up failed: %v)", cause, err), false
			}
		}
		if !retry || attempt >= casRetries {
			l.noteRefusal(cause)
			for _, p := range append(pendingsOf(failed), stale...) {
				p.err = fmt.Errorf("natslog: append: %w", cause)
				close(p.done)
			}
			return
		}
		var settled []*pending
		batch, settled = l.settleStored(failed, found)
		batch = append(batch, stale...)
		stored = append(stored, settled...)
		fresh = true
	}
}

func pendingsOf(bs []*built) []*pending {
	ps := make([]*pending, len(bs))
	for i, b := range bs {
		ps[i] = b.p
	}
	return ps
}

// answer tells the callers of stored pendings their results. When the log owns fsync
// (SyncAlways, embedded) it hands them to the syncer, which answers once they are on disk, while
// the sequencer goes on with the next group.
func (l *Log) answer(ps []*pending) {
	if len(ps) == 0 {
		return
	}
	if l.blocks != nil {
		l.syncq <- ps
		return
	}
	for _, p := range ps {
		close(p.done)
	}
}

// syncLoop fsyncs the stream's block files for every group handed to it, sharing one fsync
// among all groups waiting, and then answers their callers.
func (l *Log) syncLoop() {
	defer close(l.synced)
	for ps := range l.syncq {
		for more := true; more; {
			select {
			case next, ok := <-l.syncq:
				if !ok {
					more = false
					break
				}
				ps = append(ps, next...)
			default:
				more = false
			}
		}
		if err := l.blocks.sync(); err != nil {
			for _, p := range ps {
				p.res, p.err = nil, fmt.Errorf("natslog: events were stored but could not be synced to disk: %w", err)
			}
		}
		for _, p := range ps {
			close(p.done)
		}
	}
}

// settleDuplicate answers a pending whose idempotency key another append used while it waited.
func (l *Log) settleDuplicate(ctx context.Context, p *pending) {
	defer close(p.done)
	p.res = make([]events.AppendResult, len(p.reqs))
	for i := range p.reqs {
		r, ok, err := l.duplicate(ctx, &p.reqs[i])
		if err == nil && !ok {
			err = errors.New("natslog: a request shares its call with one whose idempotency key was used meanwhile; send them separately")
		}
		if err != nil {
			p.err = err
			return
		}
		p.res[i] = r
	}
}

// settleStored sets the results of the pendings whose events the stream turned out to hold (an
// unacknowledged publish that was stored) and returns them apart from the others.
func (l *Log) settleStored(bs []*built, found map[string]events.Envelope) (rest, settled []*pending) {
	for _, b := range bs {
		first := b.envs[0][0]
		if e, ok := found[first.ID]; !ok || e.Hash != first.Hash {
			rest = append(rest, b.p)
			continue
		}
		b.p.res = make([]events.AppendResult, len(b.envs))
		for i, envs := range b.envs {
			for j := range envs {
				envs[j] = found[envs[j].ID]
			}
			b.p.res[i] = events.AppendResult{Events: envs}
		}
		settled = append(settled, b.p)
	}
	return rest, settled
}

// catchUpStream applies every event stored after the last one this log saw to the chains it
// holds, and returns the events by id.
func (l *Log) catchUpStream(ctx context.Context) (map[string]events.Envelope, error) {
	l.mu.Lock()
	from := l.last + 1
	l.mu.Unlock()
	found := map[string]events.Envelope{}
	err := l.consume(ctx, events.SubjectPrefix+".>", from, false, func(m jetstream.Msg) error {
		e, err := decode(nil, msgSeq(m), m.Data())
		if err != nil {
			return err
		}
		found[e.ID] = e
		l.mu.Lock()
		if c := l.chains[e.Provider]; c != nil && e.Sequence > c.head.Sequence {
			c.apply(&e, m.Headers().Get(fingerprintHeader))
		}
		if e.Sequence > l.last {
			l.last, l.lastID = e.Sequence, m.Headers().Get(jetstream.MsgIDHeader)
		}
		l.mu.Unlock()
		return nil
	})
	return found, err
}

// build turns p into envelopes chained on the current heads, and into messages. fresh says
// the log has just caught up with the stream.
func (l *Log) build(p *pending, fresh bool) (*built, error) {
	now := l.opts.Now().UTC()
	n := 0
	for i := range p.reqs {
		n += len(p.reqs[i].Events)
	}
	b := &built{p: p, envs: make([][]events.Envelope, len(p.reqs)), msgs: make([]*nats.Msg, 0, n)}
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := range p.reqs {
		r := &p.reqs[i]
		c := l.chains[r.Provider]
		if r.IdempotencyKey != "" {
			if _, used := c.keys[r.IdempotencyKey]; used {
				return nil, errKeyRaced
			}
		}
		if r.ExpectedSeq != nil && *r.ExpectedSeq != c.head.Sequence {
			// An expectation past this log's head may come from a client that saw another
			// writer's events: this log is stale, not the client. Below the head, or once this
			// log has caught up, the stream has moved on.
			if *r.ExpectedSeq > c.head.Sequence && !fresh {
				return nil, errStaleView
			}
			return nil, &events.Error{Code: events.Conflict, Field: "expected_version", Current: c.head.Sequence,
				Message: fmt.Sprintf("The provider's history has moved on: expected sequence %d, it is now %d.", *r.ExpectedSeq, c.head.Sequence)}
		}
		recorded := now
		if recorded.Before(c.lastRecorded) {
			recorded = c.lastRecorded
		}
		prev, pos := c.head.Hash, c.head.Position
		envs := make([]events.Envelope, len(r.Events))
		for j, d := range r.Events {
			id, err := uuid.NewV7()
			if err != nil {
				return nil, fmt.Errorf("natslog: event id: %w", err)
			}
			pos++
			e := events.Envelope{
				ID: id.String(), Type: d.Type, Version: d.Version, Provider: r.Provider,
				AggregateKind: d.AggregateKind, Aggregate: d.AggregateID,
				OccurredAt: d.OccurredAt.UTC(), RecordedAt: recorded, Actor: r.Actor,
				IdempotencyKey: r.IdempotencyKey, Payload: d.Payload, Position: pos, PrevHash: prev,
			}
			var data []byte
			if d.Value != nil {
				data, err = events.SealEncoded(&e)
			} else {
				data, err = events.Seal(&e)
			}
			if err != nil {
				return nil, sealError(j, err)
			}
			// Room for every header an append sets: the id, the fingerprint and the two
			// compare-and-set expectations (pipeline), so the map never grows.
			m := &nats.Msg{Subject: e.Subject(), Data: data, Header: make(nats.Header, 4)}
			m.Header.Set(jetstream.MsgIDHeader, e.ID)
			if j == 0 && r.Fingerprint != "" {
				m.Header.Set(fingerprintHeader, r.Fingerprint)
			}
			b.msgs = append(b.msgs, m)
			e.Raw, e.LeafHash = data, events.LeafHashOf(data)
			envs[j] = e
			prev = e.Hash
		}
		b.envs[i] = envs
	}
	return b, nil
}

// sealError is the error of an event that could not be sealed: a payload that is not JSON is
// the caller's, named by its place in the request.
func sealError(j int, err error) error {
	if invalid := (*events.Error)(nil); errors.As(err, &invalid) && invalid.Field == "payload" {
		invalid.Field = fmt.Sprintf("events[%d].payload", j)
		return invalid
	}
	return fmt.Errorf("natslog: encode event: %w", err)
}

// stored applies a committed batch whose first message got stream sequence first and sets
// each pending's results; the caller closes their done channels.
func (l *Log) stored(bs []*built, first uint64) {
	seq := first
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, b := range bs {
		b.p.res = make([]events.AppendResult, len(b.envs))
		for i, envs := range b.envs {
			c := l.chains[b.p.reqs[i].Provider]
			for j := range envs {
				envs[j].Sequence = seq
				seq++
				fp := ""
				if j == 0 {
					fp = b.p.reqs[i].Fingerprint
				}
				c.apply(&envs[j], fp)
			}
			b.p.res[i] = events.AppendResult{Events: envs}
		}
	}
	if last := seq - 1; last > l.last {
		l.last = last
		b := bs[len(bs)-1]
		envs := b.envs[len(b.envs)-1]
		l.lastID = envs[len(envs)-1].ID
	}
}
