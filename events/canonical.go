package events

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// Canonical returns the bytes an event's hash is computed over: every envelope field but Hash
// and Sequence, in a fixed order, each length-prefixed, with times in UTC RFC 3339 and the
// payload in canonical JSON (object keys sorted, no insignificant space, numbers as written).
// The same event always gives the same bytes, whatever JSON library or key order wrote it.
func Canonical(e *Envelope) ([]byte, error) {
	payload, err := CanonicalJSON(e.Payload)
	if err != nil {
		return nil, fmt.Errorf("canonical payload of event %s: %w", e.ID, err)
	}
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

// CanonicalJSON re-encodes a JSON value with object keys sorted, no insignificant white space,
// no HTML escaping, and numbers kept exactly as written.
func CanonicalJSON(raw []byte) ([]byte, error) {
	if len(raw) == 0 {
		return []byte("null"), nil
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if d.More() {
		return nil, fmt.Errorf("trailing data after JSON value")
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(out.Bytes(), []byte("\n")), nil
}
