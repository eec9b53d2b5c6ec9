// Package events is the event catalogue of wsledger (types, payloads, schema versions, codec and
// upcasters) and the contract of the log that stores them. The JetStream log lives in
// events/jetstream.
package events

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"
)

// Actor is the member of staff (or system) on whose behalf an event was recorded.
type Actor struct {
	StaffID string `json:"staff_id"`
	Role    string `json:"role"`
}

// Roles known to the ledger. Management roles are Supervisor and ProgramManager, with
// ProgramManager the higher level.
const (
	RoleCaseManager    = "case_manager"
	RoleSupervisor     = "supervisor"
	RoleProgramManager = "program_manager"
	RoleCSQAAuditor    = "csqa_auditor"
	RoleWSTA           = "wsta"
	RoleAdmin          = "admin"
)

// Draft is an event that a decision produced and the log has not yet accepted. The log gives it
// an id, recorded_at, hashes and a sequence when it appends it.
type Draft struct {
	Type          string          // event type, e.g. "FileReviewRecorded"
	Version       int             // payload schema version; 0 means the registry's current one
	AggregateKind string          // e.g. "concern"; one subject token, [a-z_]+
	AggregateID   string          // a UUID (never a natural id that could be personal data)
	OccurredAt    time.Time       // when it happened in the world
	Payload       json.RawMessage // the JSON payload
	// Value, when set, is the payload as a value of its catalogue type, and Payload is
	// EncodePayload(Value), already in canonical form: the log stores Payload without
	// canonicalising it again (it still refuses bytes that are not JSON), and whoever appended
	// the draft may apply Value to its state instead of decoding Payload back.
	Value any
}

// Envelope is an event as the ledger stores it. The fields up to Hash are covered by the hash
// (see Canonical); Sequence and ProviderSeq are positions assigned by the log and read back.
type Envelope struct {
	ID             string          `json:"id"`      // UUIDv7
	Type           string          `json:"type"`    // event type
	Version        int             `json:"version"` // payload schema version
	Provider       string          `json:"provider"`
	AggregateKind  string          `json:"aggregate_kind"`
	Aggregate      string          `json:"aggregate"` // aggregate UUID
	OccurredAt     time.Time       `json:"occurred_at"`
	RecordedAt     time.Time       `json:"recorded_at"`
	Actor          Actor           `json:"actor"`
	IdempotencyKey string          `json:"idempotency_key,omitempty"`
	Payload        json.RawMessage `json:"payload"`
	Position       uint64          `json:"position"`  // 1-based place in the provider's chain
	PrevHash       string          `json:"prev_hash"` // hex SHA-256 of the provider's previous event; "" for the first
	Hash           string          `json:"hash"`      // hex SHA-256 of Canonical(e)

	Sequence uint64 `json:"sequence,omitempty"` // stream sequence, set by the log
	// LeafHash is the hex SHA-256 of 0x00 and the event's stored bytes: its leaf in the
	// provider's Merkle tree (package events/evidence). The log sets it on the events it
	// appends, for the receipt; Leaf computes it from Raw on any event read.
	LeafHash string `json:"leaf_hash,omitempty"`
	// Raw is the event's stored bytes, as the log read or wrote them; nil for an envelope built
	// any other way. It is not part of the JSON.
	Raw []byte `json:"-"`
}

// Leaf returns the event's leaf hash in hex: LeafHash when set, else computed from Raw, else "".
func (e *Envelope) Leaf() string {
	if e.LeafHash != "" || e.Raw == nil {
		return e.LeafHash
	}
	return LeafHashOf(e.Raw)
}

// LeafHashOf returns the hex leaf hash of stored event bytes: SHA-256(0x00 || raw).
func LeafHashOf(raw []byte) string {
	h := sha256.New()
	h.Write([]byte{0})
	h.Write(raw)
	return hex.EncodeToString(h.Sum(nil))
}

// Subject is the NATS subject of the event: ledger.<provider>.<aggregate-kind>.<aggregate-id>.
func (e *Envelope) Subject() string {
	return Subject(e.Provider, e.AggregateKind, e.Aggregate)
}

// Subject returns ledger.<provider>.<kind>.<id>.
func Subject(provider, kind, id string) string {
	return SubjectPrefix + "." + provider + "." + kind + "." + id
}

// ProviderFilter returns the subject filter that matches every event of a provider.
func ProviderFilter(provider string) string { return SubjectPrefix + "." + provider + ".>" }

// SubjectPrefix is the first token of every ledger event subject.
const SubjectPrefix = "ledger"
