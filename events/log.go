package events

import (
	"context"
	"iter"
	"time"
)

// Log is the ledger's append-only store. Every implementation must pass the conformance suite in
// events/logtest. The JetStream implementation is events/jetstream.
type Log interface {
	// Append appends every request's events atomically: all of them or none. Each request's
	// events chain to its provider's previous event. A request whose IdempotencyKey was used
	// before appends nothing and returns the first append's events with Duplicate set; one whose
	// ExpectedSeq is not the provider's last sequence fails with a Conflict *Error carrying the
	// current sequence. Requests in one call must name different providers.
	Append(ctx context.Context, reqs ...AppendRequest) ([]AppendResult, error)

	// Lookup returns the result of the append that used an idempotency key, if any.
	Lookup(ctx context.Context, provider, key string) (AppendResult, bool, error)

	// Head returns the provider's last position, sequence and hash (zero values when empty).
	Head(ctx context.Context, provider string) (Head, error)

	// Read yields events in stream order as the options select them. Errors end the sequence.
	Read(ctx context.Context, opts ReadOptions) iter.Seq2[Envelope, error]

	// Subscribe calls fn for every event with sequence >= from (1 for all) that matches the
	// provider ("" for every provider), in order, then waits for new ones until ctx ends or fn
	// returns an error, which Subscribe returns. It returns nil when ctx ends.
	Subscribe(ctx context.Context, provider string, from uint64, fn func(Envelope) error) error

	// LastSequence returns the stream's last sequence (0 when empty).
	LastSequence(ctx context.Context) (uint64, error)

	// Providers lists every provider that has at least one event, sorted.
	Providers(ctx context.Context) ([]string, error)
}

// AppendRequest is one command's worth of events for one provider.
type AppendRequest struct {
	Provider       string
	Actor          Actor
	IdempotencyKey string  // "" when the command carries none
	Fingerprint    string  // digest of the command, to refuse a key reused for another command
	ExpectedSeq    *uint64 // provider's last sequence the decision was made on; nil: no check
	Events         []Draft
}

// AppendResult is what one AppendRequest appended (or, with Duplicate, had appended earlier).
type AppendResult struct {
	Events    []Envelope
	Duplicate bool
	// Fingerprint is the fingerprint the first append carried, on a duplicate.
	Fingerprint string
}

// Head is the tip of a provider's hash chain.
type Head struct {
	Provider string `json:"provider"`
	Position uint64 `json:"position"`
	Sequence uint64 `json:"sequence"`
	Hash     string `json:"hash"`
}

// Clock selects which of an event's two instants an as-of read compares.
type Clock string

const (
	// Recorded selects recorded_at: "what did the ledger know at T".
	Recorded Clock = "recorded"
	// Occurred selects occurred_at: "what had happened by T", as known now.
	Occurred Clock = "occurred"
)

// ReadOptions selects events for Read.
type ReadOptions struct {
	Provider string    // "" for the whole ledger
	From     uint64    // first stream sequence to read; 0 or 1 for all
	AsOf     time.Time // zero for no bound; else only events whose Clock instant is <= AsOf
	Clock    Clock     // Recorded (default) or Occurred
}
