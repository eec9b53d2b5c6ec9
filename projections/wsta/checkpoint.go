package wsta

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Kinds of the messages that carry a provider's signed checkpoints to its witnesses.
const (
	// KindLeaves: the leaf hashes (with their event ids) of a run of a provider's events, sent
	// before the checkpoint that covers them, so that a witness keeps every leaf and can name an
	// event that differs later.
	KindLeaves = "leaves"
	// KindCheckpoint: a signed checkpoint, with the consistency proof from the previous one.
	KindCheckpoint = "checkpoint"
)

// Leaf is one event's leaf hash.
type Leaf struct {
	Event    string `json:"event"`
	LeafHash string `json:"leaf_hash"`
}

// LeavesNotice is the body of a leaves message: the leaves of positions From, From+1, ...
type LeavesNotice struct {
	Kind     string `json:"kind"`
	Provider string `json:"provider"`
	From     int64  `json:"from"`
	Leaves   []Leaf `json:"leaves"`
}

// CheckpointNotice is the body of a checkpoint message.
type CheckpointNotice struct {
	Kind       string `json:"kind"`
	Provider   string `json:"provider"`
	Size       int64  `json:"size"`
	Checkpoint string `json:"checkpoint"` // the signed note
	// PreviousSize is the size of the checkpoint published before for the provider (0: none),
	// and Consistency the RFC 9162 consistency proof from it to this one (hex, leaf to root).
	PreviousSize int64    `json:"previous_size"`
	Consistency  []string `json:"consistency"`
}

// leavesPerMessage bounds a leaves message (about 110 bytes a leaf).
const leavesPerMessage = 2000

// PublishCheckpoint publishes a checkpoint on wsta.<provider>.checkpoint, after the leaves it
// adds on wsta.<provider>.leaves (from position from on). Message ids make a repeat within the
// duplicate window a no-op.
func (f *Feed) PublishCheckpoint(ctx context.Context, provider string, from int64, leaves []Leaf, c CheckpointNotice) error {
	for i := 0; i < len(leaves); i += leavesPerMessage {
		run := leaves[i:min(i+leavesPerMessage, len(leaves))]
		n := LeavesNotice{Kind: KindLeaves, Provider: provider, From: from + int64(i), Leaves: run}
		id := fmt.Sprintf("leaves:%s:%d:%d:%s", provider, n.From, len(run), run[len(run)-1].LeafHash)
		if err := f.publishJSON(ctx, Subject(provider, KindLeaves), id, KindLeaves, n); err != nil {
			return err
		}
	}
	c.Kind, c.Provider = KindCheckpoint, provider
	sum := sha256.Sum256([]byte(c.Checkpoint))
	id := fmt.Sprintf("checkpoint:%s:%d:%x", provider, c.Size, sum)
	return f.publishJSON(ctx, Subject(provider, KindCheckpoint), id, KindCheckpoint, c)
}

// LastCheckpoint returns the size of the provider's last checkpoint the feed's stream holds, 0
// when it holds none: the next checkpoint's leaves go on from there, so that a witness gets every
// leaf even after a publish failed, or on a stream created anew.
func (f *Feed) LastCheckpoint(ctx context.Context, provider string) (int64, error) {
	m, err := f.stream.GetLastMsgForSubject(ctx, Subject(provider, KindCheckpoint))
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("wsta: the last checkpoint of %s: %w", provider, err)
	}
	var c CheckpointNotice
	if err := json.Unmarshal(m.Data, &c); err != nil {
		return 0, nil // not one this feed wrote: the leaves go from the start
	}
	return c.Size, nil
}

func (f *Feed) publishJSON(ctx context.Context, subject, id, kind string, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	m := nats.NewMsg(subject)
	m.Data = body
	m.Header.Set(jetstream.MsgIDHeader, id)
	m.Header.Set(HeaderKind, kind)
	return f.publish(ctx, m, 0)
}
