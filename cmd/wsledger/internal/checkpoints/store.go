// Package checkpoints signs each provider's checkpoints and keeps them: the ledger's writer
// signs a checkpoint over a provider's tree when enough events or time have passed since the
// last one (after syncing the store, so that no checkpoint is ever ahead of the disk), stores it
// in the stream WSLEDGER_CHECKPOINTS and publishes it, with the new leaves and a consistency
// proof, on the WSTA feed for witnesses; cosignatures witnesses send back are stored beside it.
package checkpoints

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/wsledger/wsledger/events/evidence"
)

// Stream is the stream of signed checkpoints; a provider's are on SubjectPrefix.<provider>,
// oldest first, a cosigned copy of a checkpoint after the checkpoint.
const (
	Stream        = "WSLEDGER_CHECKPOINTS"
	SubjectPrefix = "checkpoints"
)

// WitnessSubjects are where witnesses send cosigned checkpoints, as requests:
// witness.<witness name>.<provider>.
const WitnessSubjects = "witness.*.*"

// WitnessSubject returns the subject a witness sends its cosignatures of a provider on.
func WitnessSubject(witness, provider string) string { return "witness." + witness + "." + provider }

// Store is the stream of signed checkpoints.
type Store struct {
	js     jetstream.JetStream
	stream jetstream.Stream
}

// OpenStore creates (or opens) the checkpoint stream with the given replicas.
func OpenStore(ctx context.Context, js jetstream.JetStream, replicas int) (*Store, error) {
	s, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name: Stream, Description: "wsledger: each provider's signed checkpoints and their cosignatures",
		Subjects: []string{SubjectPrefix + ".>"}, Storage: jetstream.FileStorage, Replicas: max(replicas, 1),
		DenyDelete: true, DenyPurge: true, Discard: jetstream.DiscardNew, Duplicates: time.Hour,
	})
	if err != nil {
		return nil, fmt.Errorf("checkpoints: stream %s: %w", Stream, err)
	}
	return &Store{js: js, stream: s}, nil
}

func subject(provider string) string { return SubjectPrefix + "." + provider }

// Put stores a signed (or cosigned) checkpoint of provider; storing the same note twice within
// an hour stores it once.
func (s *Store) Put(ctx context.Context, provider string, note []byte) error {
	m := nats.NewMsg(subject(provider))
	m.Data = note
	sum := sha256.Sum256(note)
	m.Header.Set(jetstream.MsgIDHeader, fmt.Sprintf("%x", sum))
	if _, err := s.js.PublishMsg(ctx, m); err != nil {
		return fmt.Errorf("checkpoints: store a checkpoint of %s: %w", provider, err)
	}
	return nil
}

// Latest returns the provider's last stored checkpoint note, or ok false when it has none.
func (s *Store) Latest(ctx context.Context, provider string) (note []byte, ok bool, err error) {
	note, _, ok, err = s.LatestAt(ctx, provider)
	return note, ok, err
}

// LatestAt is Latest with the instant the note was stored (signed, or cosigned later).
func (s *Store) LatestAt(ctx context.Context, provider string) (note []byte, at time.Time, ok bool, err error) {
	m, err := s.stream.GetLastMsgForSubject(ctx, subject(provider))
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return nil, time.Time{}, false, nil
	}
	if err != nil {
		return nil, time.Time{}, false, fmt.Errorf("checkpoints: the latest checkpoint of %s: %w", provider, err)
	}
	return m.Data, m.Time, true, nil
}

// All returns every stored checkpoint note of a provider, oldest first.
func (s *Store) All(ctx context.Context, provider string) ([][]byte, error) {
	cons, err := s.stream.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{FilterSubjects: []string{subject(provider)}})
	if err != nil {
		return nil, fmt.Errorf("checkpoints: read %s: %w", provider, err)
	}
	pending := cons.CachedInfo().NumPending
	var out [][]byte
	for uint64(len(out)) < pending {
		batch, err := cons.Fetch(int(min(pending-uint64(len(out)), 1000)), jetstream.FetchMaxWait(5*time.Second))
		if err != nil {
			return nil, fmt.Errorf("checkpoints: read %s: %w", provider, err)
		}
		got := 0
		for m := range batch.Messages() {
			out = append(out, m.Data())
			got++
		}
		if err := batch.Error(); err != nil {
			return nil, fmt.Errorf("checkpoints: read %s: %w", provider, err)
		}
		if got == 0 {
			return nil, fmt.Errorf("checkpoints: read %s: the stream stopped delivering after %d of %d", provider, len(out), pending)
		}
	}
	return out, nil
}

// OfSize returns the provider's last stored checkpoint note of the given size (a cosigned copy
// is stored after the checkpoint it cosigns), or ok false when none has that size. It reads
// every stored note of the provider and does not check the signature: the caller does.
func (s *Store) OfSize(ctx context.Context, provider string, size int64) (note []byte, ok bool, err error) {
	notes, err := s.All(ctx, provider)
	if err != nil {
		return nil, false, err
	}
	for i := len(notes) - 1; i >= 0; i-- {
		if sizeOf(notes[i]) == size {
			return notes[i], true, nil
		}
	}
	return nil, false, nil
}

// sizeOf returns the size a note's body states, or -1 when the note has no checkpoint body.
func sizeOf(note []byte) int64 {
	end := bytes.Index(note, []byte("\n\n"))
	if end < 0 {
		return -1
	}
	c, err := evidence.ParseBody(note[:end+1])
	if err != nil {
		return -1
	}
	return c.Size
}
