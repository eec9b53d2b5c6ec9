package auth

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Watch keeps a copy of the token bucket in memory until ctx ends, so that Authenticate answers
// without a round trip to the server: every API request and dashboard page checks a token. The
// copy follows the bucket as the server sends its changes (a revocation made by another process
// reaches it within moments); it is used only while it has caught up with the bucket and the
// connection is up, and Authenticate reads the bucket for a token it does not hold (one just
// created elsewhere). A failed watch is started again after a second.
func (t *Tokens) Watch(ctx context.Context) {
	for ctx.Err() == nil {
		t.watch(ctx)
		t.seen.reset()
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}

func (t *Tokens) watch(ctx context.Context) {
	w, err := t.kv.WatchAll(ctx)
	if err != nil {
		return
	}
	defer w.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case e, ok := <-w.Updates():
			if !ok {
				return
			}
			if e == nil { // every record there was when the watch began has arrived
				t.seen.caughtUp()
				continue
			}
			t.seen.apply(e)
		}
	}
}

// Revoked returns a channel that is closed once this process knows token id is revoked or
// deleted: at once for a revocation made here (before Revoke returns), and as soon as the
// watch sees one made by another process. Open streams of a token (server-sent events, the
// dashboard's live updates) end on it.
func (t *Tokens) Revoked(id string) <-chan struct{} { return t.seen.revoked(id) }

// Closed reports whether a channel of Revoked is closed, for a stream to check right before
// it writes: nothing is delivered once the revocation is known, however it raced the write.
func Closed(revoked <-chan struct{}) bool {
	select {
	case <-revoked:
		return true
	default:
		return false
	}
}

// tokenCopy is the token bucket as the watch has seen it.
type tokenCopy struct {
	mu      sync.RWMutex
	current bool // the watch runs and has caught up
	records map[string]seenRecord
	// ended holds, per token id, the channel Revoked hands out, closed once the token is
	// revoked or deleted. It survives reset: a revocation seen stays seen.
	ended map[string]chan struct{}
}

func (c *tokenCopy) revoked(id string) <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.endedLocked(id)
}

func (c *tokenCopy) endedLocked(id string) chan struct{} {
	if c.ended == nil {
		c.ended = map[string]chan struct{}{}
	}
	ch, ok := c.ended[id]
	if !ok {
		ch = make(chan struct{})
		c.ended[id] = ch
	}
	return ch
}

// seenRecord is a record with the bucket revision it was read at; a deleted token is kept as
// gone, so that an older revision arriving late does not bring it back.
type seenRecord struct {
	Record
	rev  uint64
	gone bool
}

// lookup returns the record of id if the copy is current, holds id and the connection is up;
// otherwise the caller reads the bucket.
func (c *tokenCopy) lookup(id string, conn *nats.Conn) (Record, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if !c.current || !conn.IsConnected() {
		return Record{}, false
	}
	r, ok := c.records[id]
	if !ok || r.gone {
		return Record{}, false
	}
	return r.Record, true
}

func (c *tokenCopy) apply(e jetstream.KeyValueEntry) {
	if e.Operation() != jetstream.KeyValuePut {
		c.set(e.Key(), seenRecord{rev: e.Revision(), gone: true})
		return
	}
	var r Record
	if err := json.Unmarshal(e.Value(), &r); err != nil {
		c.set(e.Key(), seenRecord{rev: e.Revision(), gone: true}) // Authenticate reads it and reports why
		return
	}
	c.set(e.Key(), seenRecord{Record: r, rev: e.Revision()})
}

// put records a change this process made, at the revision the bucket gave it.
func (c *tokenCopy) put(id string, r Record, rev uint64) { c.set(id, seenRecord{Record: r, rev: rev}) }

func (c *tokenCopy) set(id string, r seenRecord) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.records == nil {
		c.records = map[string]seenRecord{}
	}
	if old, ok := c.records[id]; !ok || old.rev < r.rev {
		c.records[id] = r
	}
	if r.gone || !r.RevokedAt.IsZero() {
		ch := c.endedLocked(id)
		select {
		case <-ch:
		default:
			close(ch)
		}
	}
}

func (c *tokenCopy) caughtUp() {
	c.mu.Lock()
	c.current = true
	c.mu.Unlock()
}

// reset forgets the copy: the watch stopped, and changes made meanwhile would not arrive.
func (c *tokenCopy) reset() {
	c.mu.Lock()
	c.current, c.records = false, nil
	c.mu.Unlock()
}
