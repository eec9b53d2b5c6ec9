package events

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strings"
)

// Kinds of tampering Verify names.
const (
	Modified  = "modified"  // an event's content no longer matches its hash, or cannot be read
	Removed   = "removed"   // events are missing from the chain
	Inserted  = "inserted"  // an event the ledger did not append stands in the chain
	Reordered = "reordered" // events stand in another order than they were appended
	Diverged  = "diverged"  // the history does not extend a digest exported earlier
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
	event := ""
	if f.EventID != "" { // a history that does not extend a digest names no event
		event = ", event " + f.EventID
	}
	return fmt.Sprintf("%s: provider %s, sequence %d%s: %s", f.Kind, f.Provider, f.Sequence, event, f.Message)
}

// Report is the outcome of verifying one provider's history.
type Report struct {
	Provider string  `json:"provider"`
	Events   uint64  `json:"events"`
	Head     Head    `json:"head"`
	Intact   bool    `json:"intact"`
	Tamper   *Tamper `json:"tamper,omitempty"`
}

// Verify walks a provider's history in stream order and checks that every event's hash matches
// its content, that positions run 1, 2, 3... without gap or repeat, and that each event's
// prev_hash is its predecessor's hash. With anchor, it also checks that the history extends that
// earlier digest. It returns the first problem found; an error only when the log cannot be read.
func Verify(ctx context.Context, log Log, provider string, anchor *Digest) (Report, error) {
	r := Report{Provider: provider, Head: Head{Provider: provider}}
	next, stop := iter.Pull2(log.Read(ctx, ReadOptions{Provider: provider}))
	defer stop()
	fail := func(kind string, e *Envelope, format string, args ...any) (Report, error) {
		r.Tamper = &Tamper{Kind: kind, Provider: provider, Sequence: e.Sequence, EventID: e.ID, Position: e.Position, Message: fmt.Sprintf(format, args...)}
		return r, nil
	}
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
	r.Intact = true
	return r, nil
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
				Message: fmt.Sprintf("the store no longer holds %d message(s) (stream sequences %s); the ledger never deletes", len(missing), ranges(missing))}})
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

// ranges writes sorted sequences compactly: "3, 7 to 9".
func ranges(seqs []uint64) string {
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
