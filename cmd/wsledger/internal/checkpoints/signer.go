package checkpoints

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/events/evidence"
	"github.com/wsledger/wsledger/projections/trees"
	"github.com/wsledger/wsledger/projections/wsta"
)

// Defaults of how often a provider's checkpoint is signed: when this many events have come
// since the last one, or when events have waited this long. Signing costs one fsync, one
// Ed25519 signature and a few hashes per leaf: at most a few a second per provider, off the
// append path.
const (
	DefaultEvery    = 1000
	DefaultInterval = 10 * time.Second
)

// Publisher publishes checkpoints to witnesses (the WSTA feed).
type Publisher interface {
	PublishCheckpoint(ctx context.Context, provider string, from int64, leaves []wsta.Leaf, c wsta.CheckpointNotice) error
	// LastCheckpoint is the size of the provider's last checkpoint published (0: none).
	LastCheckpoint(ctx context.Context, provider string) (int64, error)
}

// Signer signs the checkpoints of every provider whose tree has grown.
type Signer struct {
	Ledger string // the ledger's name: the key's name and the origins' first part
	Key    string // the signing key (note format)
	Trees  *trees.Trees
	Store  *Store
	// Sync puts every event the store acknowledged on disk before a checkpoint covers it.
	Sync func(context.Context) error
	// Publish, when set, sends each checkpoint to the witnesses.
	Publish Publisher
	// Every and Interval: see DefaultEvery and DefaultInterval.
	Every    int64
	Interval time.Duration
	// Writing, when set, says whether this process signs now (the writer lease holder).
	Writing func() bool
	// Damaged is told when a provider's tree no longer extends its last signed checkpoint: the
	// store lost or changed events the checkpoint covers. Nothing is signed for it after.
	Damaged func(provider string, err error)
	// BeforeFinal, when set, runs before the signing Run does when its context ends.
	BeforeFinal func(context.Context)
	Logger      *slog.Logger
	Now         func() time.Time

	// signing holds one Sign at a time: the loop's and a reader's (SignNow) must not store
	// checkpoints out of order.
	signing sync.Mutex
	mu      sync.Mutex
	last    map[string]signed
	broken  map[string]error
	vkey    string
}

// signed is what the signer knows of a provider's last checkpoint.
type signed struct {
	size int64
	root evidence.Hash
	at   time.Time
	note []byte
	// superseded: the stored checkpoint is one a recorded recovery superseded.
	superseded bool
}

func (s *Signer) init() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.last != nil {
		return nil
	}
	vkey, err := evidence.VerifierKey(s.Key)
	if err != nil {
		return err
	}
	s.vkey, s.last, s.broken = vkey, map[string]signed{}, map[string]error{}
	if s.Every <= 0 {
		s.Every = DefaultEvery
	}
	if s.Interval <= 0 {
		s.Interval = DefaultInterval
	}
	if s.Logger == nil {
		s.Logger = slog.New(slog.DiscardHandler)
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	return nil
}

// Run signs, while this process is the writer, the checkpoint of each provider that is due,
// until ctx ends; then it signs every provider that has events its last checkpoint does not
// cover.
func (s *Signer) Run(ctx context.Context) error {
	if err := s.init(); err != nil {
		return err
	}
	t := time.NewTicker(min(s.Interval, time.Second))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			final := context.WithoutCancel(ctx)
			if s.BeforeFinal != nil {
				s.BeforeFinal(final)
			}
			s.signAll(final, true)
			return nil
		case <-t.C:
			s.signAll(ctx, false)
		}
	}
}

func (s *Signer) signAll(ctx context.Context, all bool) {
	if s.Writing != nil && !s.Writing() {
		return
	}
	for _, p := range s.Trees.Providers() {
		if ctx.Err() != nil {
			return
		}
		if !all && !s.due(ctx, p) {
			continue
		}
		if _, err := s.Sign(ctx, p); err != nil && ctx.Err() == nil {
			s.Logger.Warn("could not sign a checkpoint", "provider", p, "err", err)
		}
	}
}

// SignNow signs a checkpoint of a provider's whole tree unless its last checkpoint covers it,
// when this process signs (the writer): so that a reader asking for a checkpoint or a proof of
// an event just appended need not wait for Interval. Elsewhere it does nothing.
func (s *Signer) SignNow(ctx context.Context, provider string) error {
	if s.Writing != nil && !s.Writing() {
		return nil
	}
	_, err := s.Sign(ctx, provider)
	return err
}

// due reports whether a provider's tree has grown enough, or long enough ago, for a checkpoint.
func (s *Signer) due(ctx context.Context, provider string) bool {
	n := s.Trees.Size(provider)
	last, err := s.latest(ctx, provider)
	if err != nil || n <= last.size {
		return false
	}
	return n-last.size >= s.Every || s.Now().Sub(last.at) >= s.Interval
}

// latest returns what the signer knows of a provider's last checkpoint, reading the store the
// first time. A stored checkpoint whose signature does not verify with the ledger's own key was
// not signed by this ledger: it is refused, not built upon. One the provider's tree records a
// recovery from is superseded: the signer goes on as if none had been signed.
func (s *Signer) latest(ctx context.Context, provider string) (signed, error) {
	s.mu.Lock()
	last, ok := s.last[provider]
	broken := s.broken[provider]
	s.mu.Unlock()
	if broken != nil {
		return signed{}, broken
	}
	if ok {
		return last, nil
	}
	note, found, err := s.Store.Latest(ctx, provider)
	if err != nil {
		return signed{}, err
	}
	if found {
		c, err := evidence.Open(note, s.vkey)
		if err != nil {
			return signed{}, s.fail(provider, fmt.Errorf("the stored checkpoint of %s does not verify with the ledger's key: %w", provider, err))
		}
		last = signed{size: c.Size, root: c.Root, note: note, at: s.Now()}
		if s.Trees.Superseded(provider, c.Size, c.Root) {
			// The history records that it was recovered from behind this checkpoint
			// (wsledger recover): the next one covers the whole history, every leaf published.
			last = signed{at: s.Now(), superseded: true}
		}
	}
	s.mu.Lock()
	s.last[provider] = last
	s.mu.Unlock()
	return last, nil
}

func (s *Signer) fail(provider string, err error) error {
	s.mu.Lock()
	s.broken[provider] = err
	s.mu.Unlock()
	if s.Damaged != nil {
		s.Damaged(provider, err)
	}
	s.Logger.Error("refusing to sign checkpoints of a provider", "provider", provider, "err", err)
	return err
}

// Sign signs a checkpoint of a provider's whole tree unless its last checkpoint covers it,
// and returns the provider's latest checkpoint note (nil when it has no events).
func (s *Signer) Sign(ctx context.Context, provider string) ([]byte, error) {
	if err := s.init(); err != nil {
		return nil, err
	}
	s.signing.Lock()
	defer s.signing.Unlock()
	last, err := s.latest(ctx, provider)
	if err != nil {
		return nil, err
	}
	// The store first, then the tree: every event the tree holds is then on disk.
	if s.Sync != nil {
		if err := s.Sync(ctx); err != nil {
			return nil, fmt.Errorf("sync the store before signing: %w", err)
		}
	}
	// Witnesses get the leaves and a proof from the last checkpoint published, which is the
	// last signed unless publishing failed or the feed's stream is new.
	published := last.size
	if s.Publish != nil && !last.superseded {
		if published, err = s.Publish.LastCheckpoint(ctx, provider); err != nil {
			s.Logger.Warn("the feed's last checkpoint is unknown; its leaves go from the last signed", "provider", provider, "err", err)
			published = last.size
		}
	}
	var n int64
	var root evidence.Hash
	var proof []evidence.Hash
	var leaves []wsta.Leaf
	_, err = s.Trees.With(provider, func(t *evidence.Tree, ids []uuid.UUID) error {
		n = t.Size()
		if n <= last.size {
			if n < last.size {
				return fmt.Errorf("the store holds %d events of %s; the checkpoint signed before covers %d: %w", n, provider, last.size, errLost)
			}
			return nil
		}
		if last.size > 0 {
			old, err := t.Root(last.size)
			if err != nil {
				return err
			}
			if old != last.root {
				return fmt.Errorf("the first %d events of %s no longer hash to the root the checkpoint signed before: %w", last.size, provider, errLost)
			}
		}
		if published >= n {
			published = 0 // the feed's is of another history: every leaf goes
		}
		var err error
		if published > 0 {
			if proof, err = t.ConsistencyProof(published, n); err != nil {
				return err
			}
		}
		if root, err = t.Root(n); err != nil {
			return err
		}
		for i := published; i < n; i++ {
			leaves = append(leaves, wsta.Leaf{Event: ids[i].String(), LeafHash: evidence.Hex(t.Leaf(i))})
		}
		return nil
	})
	if errors.Is(err, errLost) {
		return nil, s.fail(provider, err)
	}
	if err != nil {
		return nil, err
	}
	if n <= last.size {
		return last.note, nil
	}
	note, err := evidence.Sign(evidence.Checkpoint{Origin: evidence.Origin(s.Ledger, provider), Size: n, Root: root}, s.Key)
	if err != nil {
		return nil, err
	}
	if err := s.Store.Put(ctx, provider, note); err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.last[provider] = signed{size: n, root: root, at: s.Now(), note: note}
	s.mu.Unlock()
	if s.Publish != nil {
		c := wsta.CheckpointNotice{Size: n, Checkpoint: string(note), PreviousSize: published}
		for _, h := range proof {
			c.Consistency = append(c.Consistency, evidence.Hex(h))
		}
		if err := s.Publish.PublishCheckpoint(ctx, provider, published+1, leaves, c); err != nil {
			return note, fmt.Errorf("publish the checkpoint of %s to WSTA: %w", provider, err)
		}
	}
	return note, nil
}

// errLost marks a tree that no longer extends the last signed checkpoint.
var errLost = errors.New("events a signed checkpoint covers are gone or changed")

// Check compares every provider's tree with its last stored checkpoint, as at start: a tree
// smaller than the checkpoint, or with another root at its size, is reported to Damaged and
// returned.
func (s *Signer) Check(ctx context.Context, providers []string) error {
	if err := s.init(); err != nil {
		return err
	}
	var first error
	for _, p := range providers {
		last, err := s.latest(ctx, p)
		if err != nil {
			first = cmpErr(first, err)
			continue
		}
		if last.size == 0 {
			continue
		}
		var root evidence.Hash
		var size int64
		s.Trees.With(p, func(t *evidence.Tree, _ []uuid.UUID) error {
			size = t.Size()
			if size >= last.size {
				root, _ = t.Root(last.size)
			}
			return nil
		})
		switch {
		case size < last.size:
			first = cmpErr(first, s.fail(p, fmt.Errorf("the store holds %d events of %s; its last signed checkpoint covers %d: %w", size, p, last.size, errLost)))
		case root != last.root:
			first = cmpErr(first, s.fail(p, fmt.Errorf("the first %d events of %s no longer hash to the root its last signed checkpoint holds: %w", last.size, p, errLost)))
		}
	}
	return first
}

func cmpErr(first, err error) error {
	if first != nil {
		return first
	}
	return err
}

// Anchor returns a signed checkpoint as an anchor for events.VerifyWith.
func Anchor(c *evidence.Signed, from string) events.Anchor {
	return events.Anchor{Size: c.Size, Root: c.Root, From: from, Cosigned: len(c.Cosignatures)}
}
