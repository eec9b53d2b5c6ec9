package witness

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/google/uuid"

	"github.com/wsledger/wsledger/events/evidence"
	"github.com/wsledger/wsledger/projections/wsta"
)

// provider is what the witness holds of one provider while it runs.
type provider struct {
	dir  string // DIR/<provider>
	st   state
	tree *evidence.Tree // the leaves of the current view (see current)
	// pend and pendIDs are the pending leaves, from position st.Pending.From.
	pend    []evidence.Hash
	pendIDs []string
}

// openProvider loads a provider's state, or starts an empty one.
func openProvider(dir, name string) (*provider, error) {
	st, ok, err := loadState(dir, name)
	if err != nil {
		return nil, err
	}
	if !ok {
		st = state{Provider: name, Kept: view{Tree: "tree-1"}, Trees: 1}
	}
	p := &provider{dir: filepath.Join(dir, name), st: st}
	if err := p.loadTree(); err != nil {
		return nil, err
	}
	if p.pend, p.pendIDs, err = records(filepath.Join(p.dir, pendingDir)).read(st.Pending.Count); err != nil {
		return nil, err
	}
	return p, nil
}

// current is the view checkpoints are checked against: the history followed since an alarm
// while there is one, else the kept history.
func (p *provider) current() *view {
	if p.st.Follow != nil {
		return p.st.Follow
	}
	return &p.st.Kept
}

func (p *provider) loadTree() error {
	v := p.current()
	leaves, _, err := records(filepath.Join(p.dir, v.Tree)).read(v.Size)
	if err != nil {
		return err
	}
	p.tree = &evidence.Tree{}
	for _, l := range leaves {
		p.tree.Append(l)
	}
	return nil
}

func (p *provider) save(dir string) error {
	if err := os.MkdirAll(p.dir, 0o700); err != nil {
		return fmt.Errorf("witness: %w", err)
	}
	return saveState(dir, p.st)
}

// addLeaves takes a leaves notice: the leaves of positions From, From+1, ... A run that goes on
// from (or into) the pending one replaces its leaves from there; any other starts a new one.
func (p *provider) addLeaves(n wsta.LeavesNotice) error {
	if n.From < 1 || len(n.Leaves) == 0 {
		return fmt.Errorf("a leaves notice from position %d with %d leaves", n.From, len(n.Leaves))
	}
	leaves, ids := make([]evidence.Hash, len(n.Leaves)), make([]string, len(n.Leaves))
	for i, l := range n.Leaves {
		h, err := evidence.ParseHash(l.LeafHash)
		if err != nil {
			return fmt.Errorf("leaf at position %d: %w", n.From+int64(i), err)
		}
		id, err := uuid.Parse(l.Event)
		if err != nil {
			return fmt.Errorf("leaf at position %d: event id %q: %w", n.From+int64(i), l.Event, err)
		}
		leaves[i], ids[i] = h, id.String()
	}
	pr := &p.st.Pending
	keep := int64(0)
	if pr.Count > 0 && n.From >= pr.From && n.From <= pr.From+pr.Count {
		keep = n.From - pr.From
	} else {
		pr.From = n.From
	}
	if err := records(filepath.Join(p.dir, pendingDir)).write(keep, leaves, ids); err != nil {
		return err
	}
	p.pend = append(p.pend[:keep], leaves...)
	p.pendIDs = append(p.pendIDs[:keep], ids...)
	pr.Count = keep + int64(len(leaves))
	return nil
}

// pending returns the pending leaf at position pos, if there is one.
func (p *provider) pending(pos int64) (evidence.Hash, string, bool) {
	i := pos - p.st.Pending.From
	if i < 0 || i >= p.st.Pending.Count {
		return evidence.Hash{}, "", false
	}
	return p.pend[i], p.pendIDs[i], true
}

// claimed returns the leaf the ledger now claims at position pos: the pending one when it
// published one there, else the current view's.
func (p *provider) claimed(pos int64) (evidence.Hash, bool) {
	if h, _, ok := p.pending(pos); ok {
		return h, true
	}
	if pos <= p.current().Size {
		return p.tree.Leaf(pos - 1), true
	}
	return evidence.Hash{}, false
}

// difference is the first event whose leaf the ledger published differs from the one kept.
type difference struct {
	Position  int64  `json:"position"`
	KeptLeaf  string `json:"kept_leaf_hash"`
	KeptEvent string `json:"kept_event"`
	NewLeaf   string `json:"new_leaf_hash"`
	NewEvent  string `json:"new_event"`
}

func (d *difference) String() string {
	return fmt.Sprintf("the event at position %d differs: the witness kept leaf %s of event %s; the ledger now publishes leaf %s of event %s",
		d.Position, d.KeptLeaf, d.KeptEvent, d.NewLeaf, d.NewEvent)
}

// firstDifference compares the pending leaves with the current view's, up to position upTo.
func (p *provider) firstDifference(upTo int64) (*difference, error) {
	v := p.current()
	for pos := max(p.st.Pending.From, 1); pos <= min(upTo, v.Size); pos++ {
		h, id, ok := p.pending(pos)
		if !ok {
			break
		}
		if kept := p.tree.Leaf(pos - 1); h != kept {
			keptID, err := records(filepath.Join(p.dir, v.Tree)).event(pos - 1)
			if err != nil {
				return nil, err
			}
			return &difference{Position: pos, KeptLeaf: evidence.Hex(kept), KeptEvent: keptID, NewLeaf: evidence.Hex(h), NewEvent: id}, nil
		}
	}
	return nil, nil
}

// event returns the event id of record i.
func (r records) event(i int64) (string, error) {
	f, err := os.Open(filepath.Join(string(r), eventsFile))
	if err != nil {
		return "", fmt.Errorf("witness: %w", err)
	}
	defer f.Close()
	b := make([]byte, eventSize)
	if _, err := f.ReadAt(b, i*eventSize); err != nil {
		return "", fmt.Errorf("witness: event %d of %s: %w", i, r, err)
	}
	return string(b[:eventSize-1]), nil
}

// claimedRecords returns the leaves and event ids of positions 1..n as the ledger now claims
// them, or false when it published no leaf for some position the view does not hold.
func (p *provider) claimedRecords(n int64) ([]evidence.Hash, []string, bool, error) {
	v := p.current()
	keptLeaves, keptIDs, err := records(filepath.Join(p.dir, v.Tree)).read(min(n, v.Size))
	if err != nil {
		return nil, nil, false, err
	}
	leaves, ids := make([]evidence.Hash, n), make([]string, n)
	for pos := int64(1); pos <= n; pos++ {
		if h, id, ok := p.pending(pos); ok {
			leaves[pos-1], ids[pos-1] = h, id
		} else if pos <= v.Size {
			leaves[pos-1], ids[pos-1] = keptLeaves[pos-1], keptIDs[pos-1]
		} else {
			return nil, nil, false, nil
		}
	}
	return leaves, ids, true, nil
}

// dropPending forgets the pending leaves up to position n, which a checkpoint now covers.
func (p *provider) dropPending(n int64) error {
	pr := &p.st.Pending
	if pr.Count == 0 || n < pr.From {
		return nil
	}
	cut := min(n-pr.From+1, pr.Count)
	p.pend, p.pendIDs = p.pend[cut:], p.pendIDs[cut:]
	pr.From, pr.Count = pr.From+cut, pr.Count-cut
	return records(filepath.Join(p.dir, pendingDir)).write(0, p.pend, p.pendIDs)
}
