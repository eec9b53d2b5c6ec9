package events

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"strconv"
	"testing"
	"time"
)

// FuzzCanonicalJSONKeyOrder checks what the hash chain needs from CanonicalJSON beyond matching
// its reference (FuzzCanonicalJSONMatchesReference): the same value gives the same bytes
// however its keys are ordered, spaced or its strings escaped, every time, and the bytes mean
// the same value as the input.
func FuzzCanonicalJSONKeyOrder(f *testing.F) {
	for _, c := range canonicalCases {
		f.Add([]byte(c))
	}
	f.Add([]byte(`{"z":{"b":[{"y":1,"x":"<>&\u2028"}],"a":null},"é":"\u00e9","a":-0.0e-0}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		canon, err := CanonicalJSON(in)
		if err != nil || len(in) == 0 {
			return
		}
		if again, _ := CanonicalJSON(in); !bytes.Equal(again, canon) {
			t.Fatalf("CanonicalJSON(%q) gave %s, then %s", in, canon, again)
		}
		v := decodeNumbers(t, in)
		if got := decodeNumbers(t, canon); !reflect.DeepEqual(got, v) {
			t.Fatalf("CanonicalJSON(%q) = %s, which means %#v, not %#v", in, canon, got, v)
		}
		for _, reversed := range []bool{false, true} {
			var other bytes.Buffer
			writeSpaced(t, &other, v, reversed)
			if c2, err := CanonicalJSON(other.Bytes()); err != nil || !bytes.Equal(c2, canon) {
				t.Fatalf("the same value written as %s canonicalises to %s (%v), not %s", other.Bytes(), c2, err, canon)
			}
		}
	})
}

func decodeNumbers(t *testing.T, raw []byte) any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatalf("decode %q: %v", raw, err)
	}
	return v
}

// writeSpaced writes v as JSON with spaces everywhere they are allowed, object keys in sorted or
// reversed order, and strings as encoding/json escapes them by default (HTML escaping on).
func writeSpaced(t *testing.T, b *bytes.Buffer, v any, reversed bool) {
	t.Helper()
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if reversed {
			slices.Reverse(keys)
		}
		b.WriteString("{ ")
		for i, k := range keys {
			if i > 0 {
				b.WriteString(" ,\n")
			}
			writeSpaced(t, b, k, reversed)
			b.WriteString(" :\t")
			writeSpaced(t, b, v[k], reversed)
		}
		b.WriteString(" }")
	case []any:
		b.WriteString("[ ")
		for i, e := range v {
			if i > 0 {
				b.WriteString(" , ")
			}
			writeSpaced(t, b, e, reversed)
		}
		b.WriteString(" ]")
	case json.Number:
		b.WriteString(v.String())
	default:
		raw, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(raw)
	}
}

// fuzzEnvelope builds an event from fuzzed fields, with its instants in UTC as the log records
// them.
func fuzzEnvelope(id, typ string, version int, provider, kind, agg string, occurred, recorded int64,
	staff, role, key string, position uint64, prev string, payload []byte) Envelope {
	return Envelope{
		ID: id, Type: typ, Version: version, Provider: provider, AggregateKind: kind, Aggregate: agg,
		OccurredAt: time.Unix(0, occurred).UTC(), RecordedAt: time.Unix(0, recorded).UTC(),
		Actor: Actor{StaffID: staff, Role: role}, IdempotencyKey: key,
		Payload: payload, Position: position, PrevHash: prev,
	}
}

// addEnvelopeSeeds gives an envelope fuzz test a few realistic events.
func addEnvelopeSeeds(f *testing.F) {
	at := time.Date(2026, 3, 2, 17, 4, 5, 123456789, time.UTC).UnixNano()
	f.Add("01930000-0000-7000-8000-000000000001", "ClientCallReceived", 1, "north", "concern",
		"5b1f0d5e-9d8c-5c49-9b8f-6a1b2c3d4e5f", at, at+1e9, "cm1", RoleCaseManager, "k-1", uint64(7),
		"ab", []byte(`{"concern_id":"Q1","summary":"benefit <late> & \"odd\""}`))
	f.Add("", "", 0, "", "", "", int64(0), int64(-1), "", "", "", uint64(0), "", []byte(nil))
	f.Add("i\nd", "T:1", -3, "p-1", "k_k", "a", int64(math.MinInt64), int64(math.MaxInt64), "Zoë \"x\"", "\u2028", "12:", uint64(1<<63), "9:", []byte(`[1,{"a":"}"}]`))
}

// FuzzComputeHash checks the event hash: the same event always gives the same bytes and hash;
// the hash covers neither Hash nor Sequence nor the zone an instant is written in; and the
// length-prefixed fields cannot be shifted into one another without changing the bytes.
func FuzzComputeHash(f *testing.F) {
	addEnvelopeSeeds(f)
	f.Fuzz(func(t *testing.T, id, typ string, version int, provider, kind, agg string, occurred, recorded int64,
		staff, role, key string, position uint64, prev string, payload []byte) {
		e := fuzzEnvelope(id, typ, version, provider, kind, agg, occurred, recorded, staff, role, key, position, prev, payload)
		c, err := Canonical(&e)
		if err != nil {
			t.Fatal(err)
		}
		h, err := ComputeHash(&e)
		if err != nil {
			t.Fatal(err)
		}
		same := e
		same.Payload = bytes.Clone(payload)
		same.Hash, same.Sequence = "whatever was stored", 99
		same.OccurredAt = same.OccurredAt.In(time.FixedZone("AKST", -9*3600))
		same.RecordedAt = same.RecordedAt.In(time.FixedZone("east", 5*3600+30*60))
		if c2, _ := Canonical(&same); !bytes.Equal(c2, c) {
			t.Fatalf("the same event gave other bytes:\n%q\n%q", c, c2)
		}
		if h2, _ := ComputeHash(&same); h2 != h {
			t.Fatalf("the same event gave hash %s, then %s", h, h2)
		}
		// Move one byte across each boundary between neighbouring text fields.
		for i, shift := range []func(*Envelope){
			func(e *Envelope) { e.ID, e.Type = moveLast(e.ID, e.Type) },
			func(e *Envelope) { e.Type, e.Provider = moveLast(e.Type, e.Provider) },
			func(e *Envelope) { e.Provider, e.AggregateKind = moveLast(e.Provider, e.AggregateKind) },
			func(e *Envelope) { e.AggregateKind, e.Aggregate = moveLast(e.AggregateKind, e.Aggregate) },
			func(e *Envelope) { e.Actor.StaffID, e.Actor.Role = moveLast(e.Actor.StaffID, e.Actor.Role) },
			func(e *Envelope) { e.Actor.Role, e.IdempotencyKey = moveLast(e.Actor.Role, e.IdempotencyKey) },
			func(e *Envelope) {
				if e.PrevHash != "" {
					p, rest := moveLast(e.PrevHash, string(e.Payload))
					e.PrevHash, e.Payload = p, []byte(rest)
				}
			},
			func(e *Envelope) {
				k, pos := moveLast(e.IdempotencyKey, strconv.FormatUint(e.Position, 10))
				if n, err := strconv.ParseUint(pos, 10, 64); err == nil {
					e.IdempotencyKey, e.Position = k, n
				}
			},
		} {
			moved := e
			shift(&moved)
			if reflect.DeepEqual(moved, e) {
				continue
			}
			if c2, _ := Canonical(&moved); bytes.Equal(c2, c) {
				t.Fatalf("boundary %d: two different events have the same canonical bytes %q", i, c)
			}
		}
	})
}

// moveLast moves the last byte of a to the front of b.
func moveLast(a, b string) (string, string) {
	if a == "" {
		return a, b
	}
	return a[:len(a)-1], a[len(a)-1:] + b
}
