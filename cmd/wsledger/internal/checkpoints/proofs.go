package checkpoints

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/events/evidence"
	"github.com/wsledger/wsledger/projections/trees"
)

// InclusionProof is what `wsledger prove --event ID` prints and GET /v1/proofs?event=ID
// answers: the event's leaf, its RFC 9162 inclusion path (hex, leaf to root) in the tree of
// TreeSize events, and the signed checkpoint of that tree.
type InclusionProof struct {
	Provider   string   `json:"provider"`
	Event      string   `json:"event"`
	LeafIndex  int64    `json:"leaf_index"`
	TreeSize   int64    `json:"tree_size"`
	LeafHash   string   `json:"leaf_hash"`
	Hashes     []string `json:"hashes"`
	Checkpoint string   `json:"checkpoint"`
}

// ConsistencyProof is what `wsledger prove --provider P --consistency --from N --to M` prints
// and GET /v1/proofs?provider=P&from=N&to=M answers: the RFC 9162 consistency proof (hex) that
// the provider's tree of size To extends its tree of size From.
type ConsistencyProof struct {
	Provider string   `json:"provider"`
	From     int64    `json:"from"`
	To       int64    `json:"to"`
	Hashes   []string `json:"hashes"`
}

// Info is a provider's latest checkpoint as GET /v1/checkpoints answers it: the signed note,
// what it commits to, and the witnesses whose cosignatures verified, with the time each gave.
type Info struct {
	Provider     string        `json:"provider"`
	Size         int64         `json:"size"`
	Root         string        `json:"root"`
	Checkpoint   string        `json:"checkpoint"`
	Cosignatures []Cosignature `json:"cosignatures"`
}

// Cosignature is one witness's cosignature of a checkpoint.
type Cosignature struct {
	Witness string    `json:"witness"`
	Time    time.Time `json:"time"`
}

// Info returns a provider's latest checkpoint, its signature checked with ledgerKey and its
// cosignatures with witnesses'; not_found when the provider has none.
func (s *Store) Info(ctx context.Context, provider, ledgerKey string, witnesses []string) (Info, error) {
	note, ok, err := s.Latest(ctx, provider)
	if err != nil {
		return Info{}, err
	}
	if !ok {
		return Info{}, events.Errorf(events.NotFound, "provider", "Provider %s has no signed checkpoint yet.", provider)
	}
	return InfoOf(provider, note, ledgerKey, witnesses)
}

// InfoOf reads a checkpoint note of provider, its signature checked with ledgerKey and its
// cosignatures with witnesses'.
func InfoOf(provider string, note []byte, ledgerKey string, witnesses []string) (Info, error) {
	c, err := evidence.Open(note, ledgerKey, witnesses...)
	if err != nil {
		return Info{}, events.Errorf(events.Internal, "", "The latest stored checkpoint of %s does not verify with the ledger's key: %v", provider, err)
	}
	out := Info{Provider: provider, Size: c.Size, Root: evidence.Hex(c.Root), Checkpoint: string(note), Cosignatures: []Cosignature{}}
	for name, t := range c.Cosignatures {
		out.Cosignatures = append(out.Cosignatures, Cosignature{Witness: name, Time: t.UTC()})
	}
	slices.SortFunc(out.Cosignatures, func(a, b Cosignature) int { return strings.Compare(a.Witness, b.Witness) })
	return out, nil
}

// ProveEvent returns the inclusion proof of an event in its provider's latest checkpoint.
func ProveEvent(ctx context.Context, ts *trees.Trees, s *Store, id, ledgerKey string) (InclusionProof, error) {
	provider, index, err := leafOf(ts, id)
	if err != nil {
		return InclusionProof{}, err
	}
	note, found, err := s.Latest(ctx, provider)
	if err != nil {
		return InclusionProof{}, err
	}
	var c *evidence.Signed
	if found {
		if c, err = verified(note, provider, ledgerKey); err != nil {
			return InclusionProof{}, err
		}
	}
	if !found || c.Size <= index {
		return InclusionProof{}, events.Errorf(events.Unavailable, "event",
			"Event %s is newer than the latest checkpoint of %s; the ledger signs one within seconds: retry then.", id, provider)
	}
	return prove(ts, provider, id, index, c)
}

// ProveEventAt returns the inclusion proof of an event in its provider's signed checkpoint of
// the size given, as a query parameter or flag gives it: the proof an auditor or witness holding
// that earlier checkpoint needs.
func ProveEventAt(ctx context.Context, ts *trees.Trees, s *Store, id, ledgerKey, sizeText string) (InclusionProof, error) {
	size, err := strconv.ParseInt(sizeText, 10, 64)
	if err != nil || size < 1 {
		return InclusionProof{}, events.Errorf(events.Invalid, "size", "size must be a whole number from 1: the size of one of the provider's signed checkpoints (got %q).", sizeText)
	}
	provider, index, err := leafOf(ts, id)
	if err != nil {
		return InclusionProof{}, err
	}
	if size <= index {
		return InclusionProof{}, events.Errorf(events.Invalid, "size",
			"size must be greater than the event's leaf index: event %s is leaf %d of %s, so it is in its trees of size %d and up, not in the tree of size %d.", id, index, provider, index+1, size)
	}
	note, found, err := s.OfSize(ctx, provider, size)
	if err != nil {
		return InclusionProof{}, err
	}
	if !found {
		return InclusionProof{}, events.Errorf(events.NotFound, "size",
			"size must be the size of one of the provider's signed checkpoints: provider %s has none of size %d; GET /v1/checkpoints?provider=%s gives the latest.", provider, size, provider)
	}
	c, err := verified(note, provider, ledgerKey)
	if err != nil {
		return InclusionProof{}, err
	}
	return prove(ts, provider, id, index, c)
}

// leafOf returns the provider and leaf index of an event, or not_found.
func leafOf(ts *trees.Trees, id string) (provider string, index int64, err error) {
	provider, index, ok := ts.Find(id)
	if !ok {
		return "", 0, events.Errorf(events.NotFound, "event", "No event %s in the ledger.", id)
	}
	return provider, index, nil
}

// verified checks a stored checkpoint of provider with the ledger's key: one that does not
// verify is the ledger's fault, never the caller's.
func verified(note []byte, provider, ledgerKey string) (*evidence.Signed, error) {
	c, err := evidence.Open(note, ledgerKey)
	if err != nil {
		return nil, events.Errorf(events.Internal, "", "A stored checkpoint of %s does not verify with the ledger's key: %v", provider, err)
	}
	return c, nil
}

// prove builds the inclusion proof of leaf index of provider's tree in the checkpoint c.
func prove(ts *trees.Trees, provider, id string, index int64, c *evidence.Signed) (InclusionProof, error) {
	p := InclusionProof{Provider: provider, Event: id, LeafIndex: index, TreeSize: c.Size, Checkpoint: string(c.Note)}
	_, err := ts.With(provider, func(t *evidence.Tree, _ []uuid.UUID) error {
		if t.Size() < c.Size {
			return events.Errorf(events.Unavailable, "", "The ledger's tree of %s is still being built; retry in a moment.", provider)
		}
		proof, err := t.InclusionProof(index, c.Size)
		if err != nil {
			return err
		}
		p.LeafHash = evidence.Hex(t.Leaf(index))
		p.Hashes = evidence.Hexes(proof)
		return nil
	})
	return p, err
}

// ProveConsistency returns the consistency proof between two sizes of a provider's tree.
func ProveConsistency(ts *trees.Trees, provider string, from, to int64) (ConsistencyProof, error) {
	p := ConsistencyProof{Provider: provider, From: from, To: to}
	ok, err := ts.With(provider, func(t *evidence.Tree, _ []uuid.UUID) error {
		if from < 1 || from > to || to > t.Size() {
			return events.Errorf(events.Invalid, "from", "from and to must be sizes of the provider's tree with 1 <= from <= to <= %d (from %d, to %d).", t.Size(), from, to)
		}
		proof, err := t.ConsistencyProof(from, to)
		p.Hashes = evidence.Hexes(proof)
		return err
	})
	if !ok {
		return p, events.Errorf(events.NotFound, "provider", "Provider %s has no events in the ledger.", provider)
	}
	return p, err
}

// TreesFromLog builds the trees of the given providers (every provider when none is given) by
// reading their events, for a command that runs without serve.
func TreesFromLog(ctx context.Context, log events.Log, providers ...string) (*trees.Trees, error) {
	ts := trees.New()
	if len(providers) == 0 {
		all, err := log.Providers(ctx)
		if err != nil {
			return nil, err
		}
		providers = all
	}
	for _, p := range providers {
		for e, err := range log.Read(ctx, events.ReadOptions{Provider: p}) {
			if err != nil {
				return nil, err
			}
			if err := ts.Apply(e); err != nil {
				return nil, fmt.Errorf("the history of %s cannot form a tree: %w", p, err)
			}
		}
	}
	return ts, nil
}
