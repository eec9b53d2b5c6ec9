package ledger

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/natsauth"
)

// WriterBucket is the key-value bucket that holds the writer lease: one key per ledger stream,
// naming the process that decides and appends its commands.
const WriterBucket = natsauth.WriterBucket

// Lease timing. The holder renews every leaseRenew; an entry not renewed for leaseTTL expires
// on the server (the bucket's max age), and a holder that could not renew for leaseHold stops
// writing before that happens, so that two processes hold it at once only when the server's
// clock and the holder's disagree by more than leaseTTL-leaseHold.
const (
	leaseTTL   = 3 * time.Second
	leaseRenew = 750 * time.Millisecond
	leaseHold  = 2 * time.Second
)

// holder is the lease's value: who writes, and where it takes forwarded commands.
type holder struct {
	ID      string    `json:"id"`
	Subject string    `json:"subject"`
	Since   time.Time `json:"since"`
}

// Lease elects, among the processes sharing one ledger, the one that writes. It is an entry of
// WriterBucket created only when absent (JetStream's compare-and-set), renewed by its holder
// with the revision it last wrote, and removed when the holder stops or expired by the server
// when it dies. It is for liveness only: the log's own compare-and-set keeps the ledger
// correct when two processes believe they hold it.
type Lease struct {
	kv     jetstream.KeyValue
	key    string
	me     holder
	logger *slog.Logger
	now    func() time.Time // the monotonic clock of renewals; time.Now

	mu       sync.Mutex
	current  holder    // the holder as last read ("" ID: none known)
	rev      uint64    // the revision of the entry when this process holds it
	renewed  time.Time // the last successful write of this process's entry
	held     bool
	changed  chan struct{} // closed and replaced when the holder changes
	poke     chan struct{} // asks the loop to look again at once
	campaign bool          // whether this process takes the lease when it is free
}

// newLease opens (creating when needed) the writer bucket. subject is where this process takes
// forwarded commands.
func newLease(ctx context.Context, js jetstream.JetStream, stream string, replicas int, id, subject string, campaign bool, logger *slog.Logger) (*Lease, error) {
	kv, err := js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      WriterBucket,
		Description: "wsledger: the process that writes each ledger stream",
		History:     1,
		TTL:         leaseTTL,
		Storage:     jetstream.MemoryStorage,
		Replicas:    replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("ledger: writer lease bucket: %w", err)
	}
	return &Lease{kv: kv, key: stream, me: holder{ID: id, Subject: subject}, logger: logger, now: time.Now,
		changed: make(chan struct{}), poke: make(chan struct{}, 1), campaign: campaign}, nil
}

// Held reports whether this process holds the lease and has renewed it recently enough to
// write.
func (l *Lease) Held() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.heldLocked()
}

func (l *Lease) heldLocked() bool {
	return l.held && l.now().Sub(l.renewed) < leaseHold
}

// Holder returns the holder as last read, and a channel closed when that changes.
func (l *Lease) Holder() (holder, <-chan struct{}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.current, l.changed
}

// Check asks the loop to read the lease again at once, after a forwarded command found nobody
// at the holder's subject. gone, when set, is the holder that did not answer: its entry is
// removed (only if it is still the one read), so that a process that died hands the lease over
// at once instead of when the entry expires.
func (l *Lease) Check(ctx context.Context, gone holder) {
	if gone.ID != "" {
		if e, err := l.kv.Get(ctx, l.key); err == nil {
			var h holder
			if json.Unmarshal(e.Value(), &h) == nil && h.ID == gone.ID {
				_ = l.kv.Delete(ctx, l.key, jetstream.LastRevision(e.Revision()))
			}
		}
	}
	select {
	case l.poke <- struct{}{}:
	default:
	}
}

// run keeps the lease: the holder renews it, the others read it and, when it is free and this
// process campaigns, take it. It gives the lease up when ctx ends.
func (l *Lease) run(ctx context.Context) {
	t := time.NewTicker(leaseRenew)
	defer t.Stop()
	for {
		l.step(ctx)
		select {
		case <-ctx.Done():
			l.release()
			return
		case <-t.C:
		case <-l.poke:
		}
	}
}

// step renews, reads or takes the lease once.
func (l *Lease) step(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, leaseRenew)
	defer cancel()
	l.mu.Lock()
	held, rev := l.held, l.rev
	l.mu.Unlock()
	if held {
		me := l.me
		data, _ := json.Marshal(me)
		next, err := l.kv.Update(ctx, l.key, data, rev)
		switch {
		case err == nil:
			l.set(me, true, next)
		case errors.Is(err, jetstream.ErrKeyRevisionMismatch):
			// Another process took it (this one's entry had expired).
			l.logger.Warn("lost the writer lease; forwarding commands to the new writer")
			l.set(holder{}, false, 0)
			l.read(ctx)
		default:
			if !l.Held() {
				l.logger.Warn("cannot renew the writer lease; no longer writing", "err", err)
				l.set(holder{}, false, 0)
			}
		}
		return
	}
	if !l.read(ctx) && l.campaign {
		me := l.me
		me.Since = time.Now().UTC()
		data, _ := json.Marshal(me)
		if rev, err := l.kv.Create(ctx, l.key, data); err == nil {
			l.logger.Info("took the writer lease: this process decides and appends commands")
			l.set(me, true, rev)
		} else {
			l.read(ctx)
		}
	}
}

// read reads the holder and reports whether there is one.
func (l *Lease) read(ctx context.Context) bool {
	e, err := l.kv.Get(ctx, l.key)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		l.set(holder{}, false, 0)
		return false
	}
	if err != nil {
		return true // unknown: keep what was read before
	}
	var h holder
	if err := json.Unmarshal(e.Value(), &h); err != nil {
		l.set(holder{}, false, 0)
		return false
	}
	l.set(h, h.ID == l.me.ID, e.Revision())
	return true
}

// set records the holder; held says this process holds it at revision rev.
func (l *Lease) set(h holder, held bool, rev uint64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if held {
		l.renewed = l.now()
	}
	l.held, l.rev = held, rev
	if h.ID != l.current.ID {
		l.current = h
		close(l.changed)
		l.changed = make(chan struct{})
	}
}

// release removes this process's entry, so that another takes the lease at once.
func (l *Lease) release() {
	l.mu.Lock()
	held, rev := l.held, l.rev
	l.held = false
	l.mu.Unlock()
	if !held {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := l.kv.Delete(ctx, l.key, jetstream.LastRevision(rev)); err != nil {
		l.logger.Warn("could not give the writer lease up; it expires on its own", "err", err)
	}
}
