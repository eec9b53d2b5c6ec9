package witness

import (
	"fmt"
	"path/filepath"

	"github.com/wsledger/wsledger/events/evidence"
	"github.com/wsledger/wsledger/projections/wsta"
)

// Reasons a checkpoint is refused.
const (
	ReasonSignature    = "signature"    // it does not verify with the ledger's key, or names another origin
	ReasonRollback     = "rollback"     // it covers fewer events than one checked before
	ReasonInconsistent = "inconsistent" // its tree does not extend the one checked before
)

// finding is a refused checkpoint: why, and what shows it.
type finding struct {
	reason  string
	message string
	diff    *difference
	// proof is the consistency proof that failed, when one did.
	proof *proofRecord
	// follow is the history the ledger now claims, when its leaves hash to the refused
	// checkpoint's root: the witness goes on checking the ledger against it, without cosigning.
	follow *claimedHistory
}

type proofRecord struct {
	Source string   `json:"source"` // "published" by the ledger, or "computed" by the witness from the leaves
	From   int64    `json:"from"`
	To     int64    `json:"to"`
	Hashes []string `json:"hashes"`
}

type claimedHistory struct {
	leaves []evidence.Hash
	ids    []string
	size   int64
	note   string
}

// outcome of checking a checkpoint.
type outcome int

const (
	known     outcome = iota + 1 // the view holds it already
	accepted                     // the view now ends at it
	unchecked                    // leaves it covers never came: nothing is decided
)

// checkCheckpoint checks a signed checkpoint of the provider against the current view and the
// pending leaves; an accepted one extends the view (records, tree and state, not yet saved).
// ledger is the ledger's name, vkey its verifier key.
func (p *provider) checkCheckpoint(n wsta.CheckpointNotice, ledger, vkey string) (outcome, *finding, error) {
	note := []byte(n.Checkpoint)
	c, err := evidence.Open(note, vkey)
	if err != nil {
		return 0, &finding{reason: ReasonSignature, message: fmt.Sprintf("the checkpoint does not verify with the ledger's key %s: %v", vkey, err)}, nil
	}
	if got, err := c.Provider(ledger); err != nil || got != p.st.Provider {
		return 0, &finding{reason: ReasonSignature, message: fmt.Sprintf("the checkpoint's origin is %q, not %q", c.Origin, evidence.Origin(ledger, p.st.Provider))}, nil
	}
	v := p.current()
	m, size := v.Size, c.Size
	if size < 1 {
		return unchecked, nil, fmt.Errorf("a checkpoint of size %d", size)
	}
	var vroot evidence.Hash
	if m > 0 {
		if vroot, err = p.tree.Root(m); err != nil {
			return 0, nil, err
		}
	}
	if size == m && c.Root == vroot {
		return known, nil, nil
	}
	diff, err := p.firstDifference(size)
	if err != nil {
		return 0, nil, err
	}
	pr := p.st.Pending
	overlaps := pr.Count > 0 && pr.From <= min(m, size)
	if size > m && (pr.Count == 0 || pr.From > m+1 || pr.From+pr.Count-1 < size) {
		return unchecked, nil, fmt.Errorf("the leaves of positions %d to %d never came (pending: %d from position %d); the checkpoint of size %d cannot be checked",
			m+1, size, pr.Count, pr.From, size)
	}
	// The tree the ledger now claims: the view's leaves with the pending ones over them.
	claimed, grown := p.tree, false
	if overlaps || size <= m {
		claimed = &evidence.Tree{}
		for pos := int64(1); pos <= size; pos++ {
			h, _ := p.claimed(pos)
			claimed.Append(h)
		}
	} else {
		for pos := m + 1; pos <= size; pos++ {
			h, _, _ := p.pending(pos)
			claimed.Append(h)
		}
		grown = true
	}
	f, err := p.compare(n, c, claimed, vroot, diff, vkey)
	if err != nil || f != nil {
		if grown {
			err = cmpErr(err, p.loadTree())
		}
		return 0, f, err
	}
	// Accepted: the view grows by the pending leaves it did not hold.
	leaves, ids := make([]evidence.Hash, 0, size-m), make([]string, 0, size-m)
	for pos := m + 1; pos <= size; pos++ {
		h, id, _ := p.pending(pos)
		leaves, ids = append(leaves, h), append(ids, id)
	}
	if err := records(filepath.Join(p.dir, v.Tree)).write(m, leaves, ids); err != nil {
		return 0, nil, err
	}
	if !grown {
		p.tree = claimed
	}
	v.Size, v.Checkpoint = size, n.Checkpoint
	return accepted, nil, p.dropPending(size)
}

// compare decides on a checkpoint given the tree the ledger's leaves make: its root must be the
// checkpoint's, the checkpoint must not be smaller than the view's, and it must extend the view
// (and the last cosigned checkpoint) by a consistency proof computed from the leaves and by the
// one the ledger published.
func (p *provider) compare(n wsta.CheckpointNotice, c *evidence.Signed, claimed *evidence.Tree, vroot evidence.Hash, diff *difference, vkey string) (*finding, error) {
	m, size := p.current().Size, c.Size
	root, err := claimed.Root(size)
	if err != nil {
		return nil, err
	}
	if root != c.Root {
		f := &finding{reason: ReasonInconsistent, diff: diff}
		f.message = fmt.Sprintf("the leaves the ledger published, over those the witness kept, do not hash to the root of its checkpoint of size %d", size)
		if diff != nil {
			f.message += "; " + diff.String()
		}
		return f, nil
	}
	follow := func() (*claimedHistory, error) {
		leaves, ids, ok, err := p.claimedRecords(size)
		if err != nil || !ok {
			return nil, err
		}
		return &claimedHistory{leaves: leaves, ids: ids, size: size, note: n.Checkpoint}, nil
	}
	refuse := func(reason, message string, proof *proofRecord) (*finding, error) {
		f := &finding{reason: reason, diff: diff, proof: proof}
		switch {
		case diff != nil:
			f.message = message + "; " + diff.String()
		case reason == ReasonRollback:
			f.message = fmt.Sprintf("%s; the events at positions %d to %d are gone from it", message, size+1, m)
		default:
			f.message = fmt.Sprintf("%s; an event among positions 1 to %d differs (the ledger published no leaf that shows which)", message, min(m, size))
		}
		var err error
		f.follow, err = follow()
		return f, err
	}
	if size < m {
		return refuse(ReasonRollback, fmt.Sprintf("the ledger's checkpoint of size %d is smaller than the checkpoint of size %d the witness checked before: a rollback", size, m), nil)
	}
	if size == m {
		return refuse(ReasonInconsistent, fmt.Sprintf("the ledger signed two checkpoints of size %d with different roots", size), nil)
	}
	// The proofs: from the view's checkpoint and from the last one cosigned, computed from the
	// leaves; and the one the ledger published, from its previous checkpoint.
	type from struct {
		size int64
		root evidence.Hash
	}
	froms := []from{{m, vroot}}
	if cs := p.st.Cosigned; cs != nil && p.st.Follow == nil && cs.Size > 0 && cs.Size < m {
		b, err := evidence.Open([]byte(cs.Checkpoint), vkey)
		if err == nil {
			froms = append(froms, from{b.Size, b.Root})
		}
	}
	for _, fr := range froms {
		if fr.size == 0 {
			continue
		}
		proof, err := claimed.ConsistencyProof(fr.size, size)
		if err != nil {
			return nil, err
		}
		if err := evidence.CheckConsistency(proof, fr.size, fr.root, size, c.Root); err != nil {
			return refuse(ReasonInconsistent, fmt.Sprintf("the ledger's checkpoint of size %d does not extend the checkpoint of size %d the witness checked before", size, fr.size),
				&proofRecord{Source: "computed", From: fr.size, To: size, Hashes: evidence.Hexes(proof)})
		}
	}
	if prev := n.PreviousSize; prev > 0 && prev <= m {
		published := &proofRecord{Source: "published", From: prev, To: size, Hashes: n.Consistency}
		proof := make([]evidence.Hash, len(n.Consistency))
		for i, s := range n.Consistency {
			if proof[i], err = evidence.ParseHash(s); err != nil {
				return refuse(ReasonInconsistent, "the consistency proof the ledger published is not a list of hashes", published)
			}
		}
		old, err := p.tree.Root(prev)
		if err != nil {
			return nil, err
		}
		if err := evidence.CheckConsistency(proof, prev, old, size, c.Root); err != nil {
			return refuse(ReasonInconsistent, fmt.Sprintf("the consistency proof the ledger published from size %d to %d does not check", prev, size), published)
		}
	}
	return nil, nil
}

func cmpErr(first, err error) error {
	if first != nil {
		return first
	}
	return err
}
