package events

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/wsledger/wsledger/events/evidence"
)

// Kinds of tampering Verify names.
const (
	Modified  = "modified"  // an event's content no longer matches its hash, or cannot be read
	Removed   = "removed"   // events are missing from the chain, or from the end a checkpoint covers
	Inserted  = "inserted"  // an event the ledger did not append stands in the chain
	Reordered = "reordered" // events stand in another order than they were appended
	Diverged  = "diverged"  // the history does not extend a digest or checkpoint published earlier
	Forged    = "forged"    // a checkpoint's signature does not verify with the ledger's key
)

// Tamper is the first place where a provider's history is not what the ledger wrote.
type Tamper struct {
	Kind     string `json:"kind"`
	Provider string `json:"provider"`
	Sequence uint64 `json:"sequence"`
	EventID  string `json:"event_id,omitempty"`
	Position uint64 `json:"position,omitempty"`
	Message  string `json:"message"`
}

func (f *Tamper) Error() string {
	where := fmt.Sprintf("provider %s, sequence %d", f.Provider, f.Sequence)
	if f.EventID != "" {
		where += ", event " + f.EventID
	}
	if f.Position != 0 {
		where += fmt.Sprintf(", position %d", f.Position)
	}
	return fmt.Sprintf("%s: %s: %s", f.Kind, where, f.Message)
}

// Report is the outcome of verifying one provider's history.
type Report struct {
	Provider string  `json:"provider"`
	Events   uint64  `json:"events"`
	Head     Head    `json:"head"`
	Intact   bool    `json:"intact"`
	Tamper   *Tamper `json:"tamper,omitempty"`
	// Root is the hex root of the Merkle tree over every event read (events/evidence).
	Root string `json:"root,omitempty"`
	// Checkpoint is the size of the largest signed checkpoint the history was checked
	// against, and Cosigned how many witnesses had cosigned it.
	Checkpoint int64 `json:"checkpoint,omitempty"`
	Cosigned   int   `json:"cosigned,omitempty"`
	// Recoveries are the recoveries the history records (HistoryRecovered): events a signed
	// checkpoint covered were lost and the history went on from a backup.
	Recoveries []Recovery `json:"recoveries,omitempty"`
}

// Recovery is a HistoryRecovered event as a report names it.
type Recovery struct {
	Position uint64 `json:"position"`
	HistoryRecovered
}

// Anchor is a signed checkpoint, its signature already checked, that a provider's history must
// extend: hold at least Size events, whose tree has Root.
type Anchor struct {
	Size int64
	Root evidence.Hash
	// From names the checkpoint in messages ("the latest stored checkpoint", "the checkpoint
	// in FILE").
	From     string
	Cosigned int
	// Order is the checkpoint's place among those the ledger stored for the provider (1 for
	// the oldest), 0 for one kept outside. A recovery the history records supersedes the
	// checkpoint it names and every one stored before it; one kept outside is never superseded.
	Order int
}

// VerifyOptions are what a history is checked against besides itself.
type VerifyOptions struct {
	// Digest is a digest exported earlier.
	Digest *Digest
	// Checkpoints are signed checkpoints the history must extend.
	Checkpoints []Anchor
	// Leaves are leaf hashes in position order that someone kept (a witness), so that the
	// first event that differs from them can be named.
	Leaves []evidence.Hash
}

// Verify walks a provider's history in stream order and checks that every event's hash matches
// its content, that positions run 1, 2, 3... without gap or repeat, and that each event's
// prev_hash is its predecessor's hash. With anchor, it also checks that the history extends that
// earlier digest. It returns the first problem found; an error only when the log cannot be read.
func Verify(ctx context.Context, log Log, provider string, anchor *Digest) (Report, error) {
	return VerifyWith(ctx, log, provider, VerifyOptions{Digest: anchor})
}

// VerifyWith is Verify that also builds the provider's Merkle tree from the events' stored
// bytes and checks it against signed checkpoints and kept leaves: a checkpoint larger than the
// history says events it covers were removed; a root that differs says the history was
// rewritten, and names the first event that differs from the kept leaves, or else the interval
// between the last checkpoint that holds and the first that does not.
func VerifyWith(ctx context.Context, log Log, provider string, opts VerifyOptions) (Report, error) {
	anchor := opts.Digest
	r := Report{Provider: provider, Head: Head{Provider: provider}}
	next, stop := iter.Pull2(log.Read(ctx, ReadOptions{Provider: provider}))
	defer stop()
	fail := func(kind string, e *Envelope, format string, args ...any) (Report, error) {
		r.Tamper = &Tamper{Kind: kind, Provider: provider, Sequence: e.Sequence, EventID: e.ID, Position: e.Position, Message: fmt.Sprintf(format, args...)}
		return r, nil
	}
	var tree evidence.Tree
	var differs *Tamper // the first event whose leaf differs from the kept leaves
	var ahead *Envelope
	var prevID string
	anchored := anchor == nil || anchor.Position == 0
	for {
		var e Envelope
		if ahead != nil {
			e, ahead = *ahead, nil
		} else {
			var err error
			var ok bool
			e, err, ok = next()
			if !ok {
				break
			}
			var corrupt *CorruptEvent
			if errors.As(err, &corrupt) {
				return fail(Modified, &e, "the stored message is not a readable event: %v", corrupt.Err)
			}
			if err != nil {
				return r, err
			}
		}
		if e.Provider != provider {
			return fail(Inserted, &e, "an event of provider %q stands in this provider's history", e.Provider)
		}
		if h, err := ComputeHash(&e); err != nil || h != e.Hash {
			return fail(Modified, &e, "the event's content does not match its hash")
		}
		want := r.Head.Position + 1
		switch {
		case e.Position > want:
			if n, _, ok := next(); ok {
				ahead = &n
				if n.Position == want {
					return fail(Reordered, &e, "position %d stands before position %d", e.Position, n.Position)
				}
			}
			return fail(Removed, &e, "%s missing before this event", positions(want, e.Position-1))
		case e.Position < want:
			return fail(Inserted, &e, "position %d is claimed twice: this event and the one at sequence %d; one was not appended by the ledger", e.Position, r.Head.Sequence)
		case e.PrevHash != r.Head.Hash:
			// Both events hash correctly but do not link: the earlier one was altered and
			// re-hashed, or replaced. Name it, and the event that exposes it.
			r.Tamper = &Tamper{Kind: Modified, Provider: provider, Sequence: r.Head.Sequence, EventID: prevID, Position: r.Head.Position,
				Message: fmt.Sprintf("its hash is not the one the next event (sequence %d, id %s) chains to: it was altered and re-hashed, or replaced", e.Sequence, e.ID)}
			return r, nil
		}
		prevID = e.ID
		r.Head = Head{Provider: provider, Position: e.Position, Sequence: e.Sequence, Hash: e.Hash}
		r.Events++
		if e.Type == TypeHistoryRecovered {
			if p, err := Decode(e); err == nil {
				r.Recoveries = append(r.Recoveries, Recovery{Position: e.Position, HistoryRecovered: p.(HistoryRecovered)})
			}
		}
		if e.Raw != nil {
			leaf := evidence.LeafHash(e.Raw)
			tree.Append(leaf)
			if i := e.Position - 1; differs == nil && i < uint64(len(opts.Leaves)) && opts.Leaves[i] != leaf {
				differs = &Tamper{Kind: Diverged, Provider: provider, Sequence: e.Sequence, EventID: e.ID, Position: e.Position,
					Message: fmt.Sprintf("the leaf hash kept for position %d is %s; this event's is %s: the event was changed or replaced after it was witnessed",
						e.Position, evidence.Hex(opts.Leaves[i]), evidence.Hex(leaf))}
			}
		}
		if anchor != nil && e.Position == anchor.Position {
			if e.Hash != anchor.Hash {
				return fail(Diverged, &e, "the digest exported earlier has hash %s at position %d; the history now has %s", anchor.Hash, anchor.Position, e.Hash)
			}
			anchored = true
		}
	}
	if !anchored {
		r.Tamper = &Tamper{Kind: Diverged, Provider: provider, Sequence: r.Head.Sequence, Position: r.Head.Position,
			Message: fmt.Sprintf("the digest exported earlier reaches position %d; the history now ends at %d", anchor.Position, r.Head.Position)}
		return r, nil
	}
	if tree.Size() > 0 {
		root, _ := tree.Root(tree.Size())
		r.Root = evidence.Hex(root)
	}
	if t := checkAnchors(&r, &tree, opts.Checkpoints, differs); t != nil {
		r.Tamper = t
		return r, nil
	}
	r.Intact = true
	return r, nil
}

// withoutSuperseded drops the stored checkpoints a recorded recovery superseded: the one it
// names and every one stored before it.
func withoutSuperseded(anchors []Anchor, recoveries []Recovery) []Anchor {
	superseded := 0
	for _, a := range anchors {
		for _, rec := range recoveries {
			if a.Order > 0 && a.Size == rec.CheckpointSize && evidence.Hex(a.Root) == rec.CheckpointRoot {
				superseded = max(superseded, a.Order)
			}
		}
	}
	var out []Anchor
	for _, a := range anchors {
		if a.Order == 0 || a.Order > superseded {
			out = append(out, a)
		}
	}
	return out
}

// checkAnchors checks the tree of a history read whole against signed checkpoints, smallest
// first, and returns the first problem.
func checkAnchors(r *Report, tree *evidence.Tree, anchors []Anchor, differs *Tamper) *Tamper {
	anchors = withoutSuperseded(anchors, r.Recoveries)
	slices.SortFunc(anchors, func(a, b Anchor) int { return cmp.Compare(a.Size, b.Size) })
	var good, below int64 // the largest size whose checkpoint holds, and the one before it
	var held *Anchor      // the checkpoint of size good that holds
	for i, a := range anchors {
		if a.Size <= 0 {
			continue
		}
		if a.Size > tree.Size() {
			return &Tamper{Kind: Removed, Provider: r.Provider, Sequence: r.Head.Sequence, Position: r.Head.Position,
				Message: fmt.Sprintf("%s covers %d events; the history ends at position %d: %s gone",
					a.From, a.Size, tree.Size(), positions(uint64(tree.Size())+1, uint64(a.Size)))}
		}
		root, err := tree.Root(a.Size)
		if err != nil || root != a.Root {
			if differs != nil && differs.Position <= uint64(a.Size) {
				return differs
			}
			from := good + 1
			also := ""
			if good == a.Size {
				// Two signed checkpoints of one size with different roots: the ledger's key
				// signed two histories, and the one stored is not the one kept outside.
				from = below + 1
				also = fmt.Sprintf("; %s, of the same size, has another root: the key signed two different histories", held.From)
			}
			return &Tamper{Kind: Diverged, Provider: r.Provider, Sequence: r.Head.Sequence,
				Message: fmt.Sprintf("the history's first %d events do not hash to the root %s signed%s: an event from position %d to %d was changed, replaced or reordered",
					a.Size, a.From, also, from, a.Size)}
		}
		if a.Size > good {
			below = good
		}
		good, held = a.Size, &anchors[i]
		r.Checkpoint, r.Cosigned = a.Size, a.Cosigned
	}
	return differs
}

// StoreChecker is implemented by logs that can tell which stream sequences their store no
// longer holds. Messages of a provider removed from the end of its history leave its chain
// whole; only a digest or the store itself shows them.
type StoreChecker interface {
	Missing(ctx context.Context) ([]uint64, error)
}

// VerifyAll verifies every provider of the log. When the log is a StoreChecker and its store
// lacks sequences, the first report (provider "") names them as removed.
func VerifyAll(ctx context.Context, log Log) ([]Report, error) {
	providers, err := log.Providers(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Report, 0, len(providers)+1)
	if sc, ok := log.(StoreChecker); ok {
		missing, err := sc.Missing(ctx)
		if err != nil {
			return nil, err
		}
		if len(missing) > 0 {
			out = append(out, Report{Tamper: &Tamper{Kind: Removed, Sequence: missing[0],
				Message: fmt.Sprintf("the store no longer holds %d message(s) (stream sequences %s); the ledger never deletes", len(missing), Ranges(missing))}})
		}
	}
	for _, p := range providers {
		r, err := Verify(ctx, log, p, nil)
		if err != nil {
			return out, err
		}
		out = append(out, r)
	}
	return out, nil
}

func positions(from, to uint64) string {
	if from == to {
		return fmt.Sprintf("position %d is", from)
	}
	return fmt.Sprintf("positions %d to %d are", from, to)
}

// Ranges writes sorted sequences compactly: "3, 7 to 9".
func Ranges(seqs []uint64) string {
	var b strings.Builder
	for i := 0; i < len(seqs); {
		j := i
		for j+1 < len(seqs) && seqs[j+1] == seqs[j]+1 {
			j++
		}
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		if i == j {
			fmt.Fprintf(&b, "%d", seqs[i])
		} else {
			fmt.Fprintf(&b, "%d to %d", seqs[i], seqs[j])
		}
		i = j + 1
	}
	return b.String()
}
