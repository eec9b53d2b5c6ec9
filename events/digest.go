package events

import (
	"context"
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
