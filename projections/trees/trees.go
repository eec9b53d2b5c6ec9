// Package trees keeps every provider's Merkle tree (package events/evidence) from the ledger's
// log, as a runner target: the leaf of each event is the hash of its stored bytes, appended in
// position order, with the event's id beside it so that a proof can be asked for by event. It
// holds about 48 bytes an event.
package trees

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"sync"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/events/evidence"
	"github.com/wsledger/wsledger/projections/runner"
)

// Trees is every provider's tree. Reads may run while the runner applies events.
type Trees struct {
	mu        sync.RWMutex
	providers map[string]*tree
}

type tree struct {
	t   evidence.Tree
	ids []uuid.UUID // ids[i]: the id of the event at position i+1
	// recovered are the signed checkpoints the history's HistoryRecovered events say it no
	// longer extends.
	recovered []checkpointRef
}

// checkpointRef names a signed checkpoint by its size and root (hex).
type checkpointRef struct {
	Size int64  `json:"size"`
	Root string `json:"root"`
}

// New returns empty trees; run the runner from Runner to fill them.
func New() *Trees {
	return &Trees{providers: map[string]*tree{}}
}

// RunnerName is the name of the trees' runner and of their saved state.
const RunnerName = "trees"

// version of the saved form.
const version = 1

// Runner returns the runner that keeps t from log, saving snapshots through js.
func (t *Trees) Runner(log events.Log, js jetstream.JetStream, opts runner.Options) *runner.Runner {
	opts.Name, opts.Version = RunnerName, version
	return runner.New(log, js, target{t}, opts)
}

// Apply adds an event's leaf to its provider's tree. Events come in stream order, so each
// provider's in position order; one out of place is an error, not a gap left in the tree.
func (t *Trees) Apply(e events.Envelope) error {
	if e.Raw == nil {
		return fmt.Errorf("trees: event %s at sequence %d came without its stored bytes", e.ID, e.Sequence)
	}
	id, err := uuid.Parse(e.ID)
	if err != nil {
		return fmt.Errorf("trees: event at sequence %d: id %q: %w", e.Sequence, e.ID, err)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	p := t.providers[e.Provider]
	if p == nil {
		p = &tree{}
		t.providers[e.Provider] = p
	}
	if want := uint64(p.t.Size()) + 1; e.Position != want {
		return fmt.Errorf("trees: provider %s: event %s at sequence %d has position %d, the tree's next is %d", e.Provider, e.ID, e.Sequence, e.Position, want)
	}
	if e.Type == events.TypeHistoryRecovered {
		ref, err := recoveredCheckpoint(e)
		if err != nil {
			return err
		}
		p.recovered = append(p.recovered, ref)
	}
	p.t.Append(evidence.LeafHash(e.Raw))
	p.ids = append(p.ids, id)
	return nil
}

// recoveredCheckpoint returns the checkpoint a HistoryRecovered event names.
func recoveredCheckpoint(e events.Envelope) (checkpointRef, error) {
	payload, err := events.Decode(e)
	if err != nil {
		return checkpointRef{}, fmt.Errorf("trees: event %s at sequence %d: %w", e.ID, e.Sequence, err)
	}
	r := payload.(events.HistoryRecovered)
	return checkpointRef{Size: r.CheckpointSize, Root: r.CheckpointRoot}, nil
}

// Superseded reports whether a provider's history records (HistoryRecovered) that it no longer
// extends the signed checkpoint of this size and root.
func (t *Trees) Superseded(provider string, size int64, root evidence.Hash) bool {
	t.mu.RLock()
	defer t.mu.RUnlock()
	p := t.providers[provider]
	return p != nil && slices.Contains(p.recovered, checkpointRef{size, evidence.Hex(root)})
}

// saved is a provider's tree as the runner stores it: the leaf hashes and event ids, each
// concatenated and base64 encoded.
type saved struct {
	Leaves    string          `json:"leaves"`
	IDs       string          `json:"ids"`
	Recovered []checkpointRef `json:"recovered,omitempty"`
}

// Save returns a provider's tree in its saved form.
func (t *Trees) Save(provider string) ([]byte, error) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	p := t.providers[provider]
	if p == nil {
		return json.Marshal(saved{})
	}
	n := p.t.Size()
	leaves := make([]byte, 0, 32*n)
	for i := range n {
		l := p.t.Leaf(i)
		leaves = append(leaves, l[:]...)
	}
	ids := make([]byte, 0, 16*len(p.ids))
	for _, id := range p.ids {
		ids = append(ids, id[:]...)
	}
	return json.Marshal(saved{Leaves: base64.StdEncoding.EncodeToString(leaves), IDs: base64.StdEncoding.EncodeToString(ids), Recovered: p.recovered})
}

// Load restores a provider's tree from its saved form.
func (t *Trees) Load(provider string, data []byte) error {
	var s saved
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("trees: provider %s: %w", provider, err)
	}
	leaves, err1 := base64.StdEncoding.DecodeString(s.Leaves)
	ids, err2 := base64.StdEncoding.DecodeString(s.IDs)
	if err1 != nil || err2 != nil || len(leaves)%32 != 0 || len(ids)%16 != 0 || len(leaves)/32 != len(ids)/16 {
		return fmt.Errorf("trees: provider %s: a malformed saved tree", provider)
	}
	p := &tree{ids: make([]uuid.UUID, len(ids)/16), recovered: s.Recovered}
	for i := 0; i < len(leaves); i += 32 {
		p.t.Append(evidence.Hash(leaves[i : i+32]))
	}
	for i := range p.ids {
		copy(p.ids[i][:], ids[16*i:])
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.providers[provider] = p
	return nil
}

// Reset drops every tree.
func (t *Trees) Reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	clear(t.providers)
}

// target adapts Trees to runner.Target.
type target struct{ t *Trees }

func (g target) Apply(e events.Envelope) error    { return g.t.Apply(e) }
func (g target) Save(p string) ([]byte, error)    { return g.t.Save(p) }
func (g target) Load(p string, data []byte) error { return g.t.Load(p, data) }
func (g target) Reset()                           { g.t.Reset() }

// Providers lists the providers with a tree, sorted.
func (t *Trees) Providers() []string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	out := make([]string, 0, len(t.providers))
	for p := range t.providers {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// Size returns the size of a provider's tree (0 for a provider without events).
func (t *Trees) Size(provider string) int64 {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if p := t.providers[provider]; p != nil {
		return p.t.Size()
	}
	return 0
}

// With runs fn on a provider's tree and its event ids under the read lock, and says whether
// the provider has one. fn must not keep either.
func (t *Trees) With(provider string, fn func(tree *evidence.Tree, ids []uuid.UUID) error) (bool, error) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	p := t.providers[provider]
	if p == nil {
		return false, nil
	}
	return true, fn(&p.t, p.ids)
}

// Find returns the provider and leaf index of an event, by id.
func (t *Trees) Find(id string) (provider string, index int64, ok bool) {
	u, err := uuid.Parse(id)
	if err != nil {
		return "", 0, false
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	for name, p := range t.providers {
		if i := slices.Index(p.ids, u); i >= 0 {
			return name, int64(i), true
		}
	}
	return "", 0, false
}
