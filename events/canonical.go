package events

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strconv"
	"time"
	"unicode/utf8"
)

// Canonical returns the bytes an event's hash is computed over: every envelope field but Hash
// and Sequence, in a fixed order, each length-prefixed, with times in UTC RFC 3339 and the
// payload bytes as stored. The log stores every payload in canonical JSON (CanonicalJSON), so
// the same event always gives the same bytes whatever JSON library or key order produced it,
// and any change to the stored payload bytes changes the hash.
func Canonical(e *Envelope) ([]byte, error) {
	payload := e.Payload
	var b bytes.Buffer
	b.Grow(256 + len(payload))
	b.WriteString("wsledger-event-v1\n")
	for _, f := range [...]string{
		e.ID, e.Type, strconv.Itoa(e.Version), e.Provider, e.AggregateKind, e.Aggregate,
		formatTime(e.OccurredAt), formatTime(e.RecordedAt), e.Actor.StaffID, e.Actor.Role,
		e.IdempotencyKey, strconv.FormatUint(e.Position, 10), e.PrevHash,
	} {
		writeField(&b, f)
	}
	writeField(&b, string(payload))
	return b.Bytes(), nil
}

// ComputeHash returns the hex SHA-256 of Canonical(e).
func ComputeHash(e *Envelope) (string, error) {
	c, err := Canonical(e)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(c)
	return hex.EncodeToString(sum[:]), nil
}

func writeField(b *bytes.Buffer, s string) {
	b.WriteString(strconv.Itoa(len(s)))
	b.WriteByte(':')
	b.WriteString(s)
	b.WriteByte('\n')
}

// TimeFormat is how the ledger writes instants: UTC, RFC 3339 with nanoseconds.
const TimeFormat = time.RFC3339Nano

func formatTime(t time.Time) string { return t.UTC().Format(TimeFormat) }

// CanonicalJSON re-encodes a JSON value with object keys sorted (by their unescaped bytes), no
// insignificant white space, strings in encoding/json's form without HTML escaping, and
// numbers kept exactly as written. An object with a repeated key is refused: its meaning
// depends on the reader.
func CanonicalJSON(raw []byte) ([]byte, error) {
	if len(raw) == 0 {
		return []byte("null"), nil
	}
	if !json.Valid(raw) {
		return nil, errors.New("invalid JSON")
	}
	if !utf8.Valid(raw) {
		return nil, errors.New("JSON text is not valid UTF-8")
	}
	c := canonicalizer{in: raw, out: make([]byte, 0, len(raw))}
	if err := c.value(); err != nil {
		return nil, err
	}
	return c.out, nil
}
