package events

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// Digest commits to a provider's whole history up to a position: the hash of the event there
// chains to every earlier event. Published to WSTA, it lets anyone prove later that the history
// they are shown extends what was published (Verify with the digest as anchor).
type Digest struct {
	Provider   string    `json:"provider"`
	Position   uint64    `json:"position"`
	Sequence   uint64    `json:"sequence"`
	Hash       string    `json:"hash"`
	ExportedAt time.Time `json:"exported_at"`
}

// ExportDigest verifies a provider's history and returns its digest; a damaged history has none.
func ExportDigest(ctx context.Context, log Log, provider string, now time.Time) (Digest, error) {
	r, err := Verify(ctx, log, provider, nil)
	if err != nil {
		return Digest{}, err
	}
	if r.Tamper != nil {
		return Digest{}, fmt.Errorf("no digest for a damaged history: %w", r.Tamper)
	}
	return Digest{Provider: provider, Position: r.Head.Position, Sequence: r.Head.Sequence, Hash: r.Head.Hash, ExportedAt: now.UTC()}, nil
}

// digestJSON is a digest's wire form. last_sequence and head_hash repeat sequence and hash under
// the names a digest's parts are given in prose ("provider, last sequence, head hash"), so a
// reader may use either name.
type digestJSON struct {
	Provider     string    `json:"provider"`
	Position     uint64    `json:"position"`
	Sequence     uint64    `json:"sequence"`
	Hash         string    `json:"hash"`
	LastSequence uint64    `json:"last_sequence"`
	HeadHash     string    `json:"head_hash"`
	ExportedAt   time.Time `json:"exported_at"`
}

// MarshalJSON writes the digest with both names of its sequence and hash.
func (d Digest) MarshalJSON() ([]byte, error) {
	return json.Marshal(digestJSON{
		Provider: d.Provider, Position: d.Position, Sequence: d.Sequence, Hash: d.Hash,
		LastSequence: d.Sequence, HeadHash: d.Hash, ExportedAt: d.ExportedAt,
	})
}

// UnmarshalJSON reads a digest that gives its sequence and hash under either name; a digest
// that gives both names different values contradicts itself and is refused.
func (d *Digest) UnmarshalJSON(data []byte) error {
	var w digestJSON
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	seq, err := eitherName("sequence", w.Sequence, "last_sequence", w.LastSequence)
	if err != nil {
		return err
	}
	hash, err := eitherName("hash", w.Hash, "head_hash", w.HeadHash)
	if err != nil {
		return err
	}
	*d = Digest{Provider: w.Provider, Position: w.Position, Sequence: seq, Hash: hash, ExportedAt: w.ExportedAt}
	return nil
}

// eitherName returns the value a digest gives under one name or the other.
func eitherName[T comparable](name string, v T, alias string, w T) (T, error) {
	var zero T
	switch {
	case v == zero:
		return w, nil
	case w != zero && w != v:
		return zero, Errorf(Invalid, alias, "%s (%v) and %s (%v) must be equal when both are given.", name, v, alias, w)
	}
	return v, nil
}
