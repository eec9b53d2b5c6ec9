package natslog

import (
	"context"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/wsledger/wsledger/events"
)

// fingerprintHeader carries, on a command's first event, the digest of the command, so that an
// idempotency key reused for a different command can be refused. It is outside the hash: it
// guards retries, not history.
const fingerprintHeader = "Wsledger-Fingerprint"

// chain is what the sequencer knows of one provider: the tip of its hash chain and the
// idempotency keys it has used. The provider's compare-and-set on every append keeps it honest:
// a writer whose chain is stale fails its CAS, catches up, and only then decides again, so a key
// used by another writer is seen before anything is appended twice.
type chain struct {
	head         events.Head
	lastRecorded time.Time
	keys         map[string]keyEntry
}

// keyEntry locates the events a command with an idempotency key appended: a run of n
// consecutive stream sequences from start (one atomic publish).
type keyEntry struct {
	start       uint64
	n           int
	fingerprint string
}

func newChain(provider string) *chain {
	return &chain{head: events.Head{Provider: provider}, keys: map[string]keyEntry{}}
}

// apply advances the chain over an event the stream holds.
func (c *chain) apply(e *events.Envelope, fingerprint string) {
	c.head.Position = e.Position
	c.head.Sequence = e.Sequence
	c.head.Hash = e.Hash
	if e.RecordedAt.After(c.lastRecorded) {
		c.lastRecorded = e.RecordedAt
	}
	if e.IdempotencyKey == "" {
		return
	}
	k, ok := c.keys[e.IdempotencyKey]
	switch {
	case !ok:
		c.keys[e.IdempotencyKey] = keyEntry{start: e.Sequence, n: 1, fingerprint: fingerprint}
	case k.start+uint64(k.n) == e.Sequence:
		k.n++
		c.keys[e.IdempotencyKey] = k
	}
}

// chainFor returns the provider's chain, reading its whole history the first time.
//
// A chain joins l.chains only once it holds every event of its provider up to l.last: from
// then on catchUpStream and stored keep it current. Until it has joined they skip it, so a
// catch-up that moved l.last past one of the provider's events while its history was being
// read would otherwise leave the chain short of that event, and the next append would claim
// its position again on a stream tip that the compare-and-set accepts.
func (l *Log) chainFor(ctx context.Context, provider string) (*chain, error) {
	l.mu.Lock()
	c := l.chains[provider]
	l.mu.Unlock()
	if c != nil {
		return c, nil
	}
	l.loadMu.Lock()
	defer l.loadMu.Unlock()
	l.mu.Lock()
	c = l.chains[provider]
	l.mu.Unlock()
	if c != nil {
		return c, nil
	}
	c = newChain(provider)
	var covered uint64 // every event of the provider up to this sequence is in c
	for {
		upTo, err := l.catchUp(ctx, c, covered+1)
		if err != nil {
			return nil, err
		}
		covered = max(covered, upTo)
		if testHookChainRead != nil {
			testHookChainRead(provider)
		}
		l.mu.Lock()
		if l.last <= covered {
			l.chains[provider] = c
			l.mu.Unlock()
			return c, nil
		}
		l.mu.Unlock()
	}
}

// testHookChainRead, when set by a test, runs after each read of a chain being loaded.
var testHookChainRead func(provider string)

// catchUp applies to c every event of its provider stored from sequence from on, and returns
// a sequence up to which it saw every one: the stream's last sequence before the read began.
func (l *Log) catchUp(ctx context.Context, c *chain, from uint64) (uint64, error) {
	type seen struct {
		e  events.Envelope
		fp string
	}
	upTo, err := l.lastSequence(ctx)
	if err != nil {
		return 0, err
	}
	var got []seen
	err = l.consume(ctx, events.ProviderFilter(c.head.Provider), from, false, func(m jetstream.Msg) error {
		e, err := decode(nil, msgSeq(m), m.Data())
		if err != nil {
			return err
		}
		got = append(got, seen{e, m.Headers().Get(fingerprintHeader)})
		return nil
	})
	if err != nil {
		return 0, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := range got {
		if got[i].e.Sequence > c.head.Sequence {
			c.apply(&got[i].e, got[i].fp)
		}
	}
	return upTo, nil
}

// Head implements events.Log.
func (l *Log) Head(ctx context.Context, provider string) (events.Head, error) {
	h, err := l.head(ctx, provider)
	return h, l.readAnswer(ctx, "head", err)
}

func (l *Log) head(ctx context.Context, provider string) (events.Head, error) {
	if err := events.CheckProvider(provider); err != nil {
		return events.Head{}, err
	}
	c, err := l.chainFor(ctx, provider)
	if err != nil {
		return events.Head{}, err
	}
	// seen is read before the stream's last sequence: a commit of this log that lands in
	// between raises l.last, never seen, so a stream found to end before seen is not a race.
	l.mu.Lock()
	seen := l.last
	l.mu.Unlock()
	last, err := l.lastSequence(ctx)
	if err != nil {
		return events.Head{}, err
	}
	if last < seen {
		l.checkTail(ctx, seen)
	}
	if last > seen {
		if _, err := l.catchUpStream(ctx); err != nil {
			return events.Head{}, err
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return c.head, nil
}

// Lookup implements events.Log.
func (l *Log) Lookup(ctx context.Context, provider, key string) (events.AppendResult, bool, error) {
	res, ok, err := l.lookup(ctx, provider, key)
	return res, ok, l.readAnswer(ctx, "lookup", err)
}

func (l *Log) lookup(ctx context.Context, provider, key string) (events.AppendResult, bool, error) {
	if err := events.CheckProvider(provider); err != nil {
		return events.AppendResult{}, false, err
	}
	c, err := l.chainFor(ctx, provider)
	if err != nil {
		return events.AppendResult{}, false, err
	}
	l.mu.Lock()
	k, ok := c.keys[key]
	l.mu.Unlock()
	if !ok {
		return events.AppendResult{}, false, nil
	}
	res, err := l.fetchRun(ctx, k)
	return res, err == nil, err
}

// fetchRun reads back the events of an earlier append.
func (l *Log) fetchRun(ctx context.Context, k keyEntry) (events.AppendResult, error) {
	res := events.AppendResult{Duplicate: true, Fingerprint: k.fingerprint, Events: make([]events.Envelope, 0, k.n)}
	for i := range k.n {
		e, err := l.getMsg(ctx, k.start+uint64(i))
		if err != nil {
			return events.AppendResult{}, err
		}
		res.Events = append(res.Events, e)
	}
	return res, nil
}
