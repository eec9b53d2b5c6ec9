package projections

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"sync"

	"github.com/wsledger/wsledger/events"
)

// hashMatches reports whether an event's content matches its hash, as events.ComputeHash(e) ==
// e.Hash does, but builds events.Canonical's bytes in a reused buffer: the views check the hash
// of every event they apply, and a rebuild applies millions. TestHashMatchesComputeHash holds it
// to events.ComputeHash.
func hashMatches(e *events.Envelope) bool {
	if len(e.Hash) != hex.EncodedLen(sha256.Size) {
		return false
	}
	bp := canonicalBuffers.Get().(*[]byte)
	defer canonicalBuffers.Put(bp)
	var scratch [64]byte
	b := append((*bp)[:0], "wsledger-event-v1\n"...)
	b = appendField(b, e.ID)
	b = appendField(b, e.Type)
	b = appendField(b, strconv.AppendInt(scratch[:0], int64(e.Version), 10))
	b = appendField(b, e.Provider)
	b = appendField(b, e.AggregateKind)
	b = appendField(b, e.Aggregate)
	b = appendField(b, e.OccurredAt.UTC().AppendFormat(scratch[:0], events.TimeFormat))
	b = appendField(b, e.RecordedAt.UTC().AppendFormat(scratch[:0], events.TimeFormat))
	b = appendField(b, e.Actor.StaffID)
	b = appendField(b, e.Actor.Role)
	b = appendField(b, e.IdempotencyKey)
	b = appendField(b, strconv.AppendUint(scratch[:0], e.Position, 10))
	b = appendField(b, e.PrevHash)
	b = appendField(b, e.Payload)
	*bp = b
	sum := sha256.Sum256(b)
	hex.Encode(scratch[:], sum[:])
	return string(scratch[:]) == e.Hash
}

// canonicalBuffers holds the buffers hashMatches builds canonical forms in.
var canonicalBuffers = sync.Pool{New: func() any { return new([]byte) }}

// appendField appends one length-prefixed field of the canonical form.
func appendField[T ~string | ~[]byte](b []byte, s T) []byte {
	b = strconv.AppendInt(b, int64(len(s)), 10)
	b = append(b, ':')
	b = append(b, s...)
	return append(b, '\n')
}
