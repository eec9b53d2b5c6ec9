package domain

import (
	"crypto/sha256"
	"errors"

	"github.com/google/uuid"
)

// SubjectKeySize is the size of a subject key's secret, in bytes.
const SubjectKeySize = 32

// SubjectKey keys the ids that stand for natural ids in subjects. Without a key an aggregate id
// is a UUIDv5 of the provider, the kind and the natural id: anyone can recompute it for every
// candidate natural id (every client number of a few digits) and match it against a subject.
// With a key it is an HMAC-SHA256 of the same name, which no one can recompute without the
// key. The key is a secret kept outside the store; Decide never reads it from anywhere but the
// Policy it is given. The zero SubjectKey keys nothing: ids are derived as before keys existed.
type SubjectKey struct {
	// ipad and opad are the key's HMAC-SHA256 blocks (RFC 2104), kept so that an id costs two
	// SHA-256 sums of stack buffers and no allocation.
	ipad, opad *[sha256.BlockSize]byte
}

// NewSubjectKey returns the subject key of a secret of SubjectKeySize random bytes.
func NewSubjectKey(secret []byte) (SubjectKey, error) {
	if len(secret) != SubjectKeySize {
		return SubjectKey{}, errors.New("a subject key is 32 bytes")
	}
	k := SubjectKey{ipad: new([sha256.BlockSize]byte), opad: new([sha256.BlockSize]byte)}
	for i := range sha256.BlockSize {
		var b byte
		if i < len(secret) {
			b = secret[i]
		}
		k.ipad[i], k.opad[i] = b^0x36, b^0x5c
	}
	return k, nil
}

// Keyed reports whether k holds a key.
func (k SubjectKey) Keyed() bool { return k.ipad != nil }

// AggregateID returns the id of a natural id of an aggregate kind of a provider: without a key,
// the unkeyed UUIDv5 of AggregateID; with one, the first 16 bytes of HMAC-SHA256(key, provider
// NUL kind NUL natural id) as a UUID of version 8 (RFC 9562's custom layout).
func (k SubjectKey) AggregateID(provider, kind, naturalID string) string {
	if !k.Keyed() {
		return AggregateID(provider, kind, naturalID)
	}
	var buf [sha256.BlockSize + 192]byte
	inner := append(append(buf[:0], k.ipad[:]...), provider...)
	inner = append(append(append(append(inner, 0), kind...), 0), naturalID...)
	sum := sha256.Sum256(inner)
	outer := append(append(buf[:0], k.opad[:]...), sum[:]...)
	sum = sha256.Sum256(outer)
	var id uuid.UUID
	copy(id[:], sum[:])
	id[6] = id[6]&0x0f | 8<<4 // version 8: custom
	id[8] = id[8]&0x3f | 0x80 // RFC 9562 variant
	return id.String()
}

// aggregateID returns the id of a command's aggregate: the unkeyed one when the provider's state
// already holds events under it (an aggregate begun before the ledger had a key keeps its id,
// so its later events stay on its subject), else the policy key's.
func (p Policy) aggregateID(s *State, provider, kind, naturalID string) string {
	if p.SubjectKey.Keyed() {
		if earlier := AggregateID(provider, kind, naturalID); s.Version(kind, earlier) > 0 {
			return earlier
		}
	}
	return p.SubjectKey.AggregateID(provider, kind, naturalID)
}
