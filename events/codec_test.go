package events

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"
	"unsafe"
)

func sampleEnvelope() Envelope {
	return Envelope{
		ID: "01930000-0000-7000-8000-000000000001", Type: "ClientCallReceived", Version: 1, Provider: "north",
		AggregateKind: "concern", Aggregate: "5b1f0d5e-9d8c-5c49-9b8f-6a1b2c3d4e5f",
		OccurredAt: time.Date(2026, 3, 2, 17, 4, 5, 123456789, time.UTC), RecordedAt: time.Date(2026, 3, 2, 17, 4, 6, 0, time.UTC),
		Actor: Actor{StaffID: "cm1", Role: RoleCaseManager}, IdempotencyKey: "k-1",
		Payload:  json.RawMessage(`{"client_number":"12345678","concern_id":"Q1","summary":"benefit <late> & \"odd\""}`),
		Position: 7, PrevHash: "ab", Hash: "cd",
	}
}

// TestMarshalEnvelopeMatchesEncodingJSON: the hand-written encoder writes what encoding/json
// writes (without HTML escaping), so stored events keep one format.
func TestMarshalEnvelopeMatchesEncodingJSON(t *testing.T) {
	cases := []func(*Envelope){
		func(*Envelope) {},
		func(e *Envelope) { e.IdempotencyKey, e.Sequence = "", 42 },
		func(e *Envelope) { e.Actor.StaffID = "Zoë \"the\" <boss>\n\u2028\x01" },
		func(e *Envelope) { e.OccurredAt = time.Date(2026, 3, 2, 9, 0, 0, 0, time.FixedZone("AKST", -9*3600)) },
		func(e *Envelope) { e.Payload = nil },
	}
	for i, change := range cases {
		e := sampleEnvelope()
		change(&e)
		got, err := MarshalEnvelope(&e)
		if err != nil {
			t.Fatal(err)
		}
		want := referenceMarshal(t, &e)
		if string(got) != string(want) {
			t.Errorf("case %d:\n got %s\nwant %s", i, got, want)
		}
	}
}

func referenceMarshal(t testing.TB, e *Envelope) []byte {
	type plain Envelope
	b, err := json.Marshal((*plain)(e))
	if err != nil {
		t.Fatal(err)
	}
	// encoding/json escapes <, > and & in strings and raw payloads; the log does not.
	var out []byte
	for i := 0; i < len(b); i++ {
		if b[i] == '\\' && i+5 < len(b) && b[i+1] == 'u' && b[i+2] == '0' && b[i+3] == '0' {
			switch string(b[i+4 : i+6]) {
			case "3c":
				out, i = append(out, '<'), i+5
				continue
			case "3e":
				out, i = append(out, '>'), i+5
				continue
			case "26":
				out, i = append(out, '&'), i+5
				continue
			}
		}
		out = append(out, b[i])
	}
	return out
}

func FuzzUnmarshalEnvelopeMatchesEncodingJSON(f *testing.F) {
	e := sampleEnvelope()
	good, _ := MarshalEnvelope(&e)
	f.Add(good)
	f.Add([]byte(`{"ID":"x","Type":"y","actor":null,"payload":[1,{"a":"}"}]}`))
	f.Add([]byte(`{"version":"3","position":-1}`))
	f.Add([]byte(`{"id":"a\u0062","hash":"\ud800","unknown":{"x":[1,2]}}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"payload":null,"id":null}`))
	f.Add([]byte(`{ "id" : "a" , "x":{"y":[{}]} ,"actor":{"role":"r"},"type":[] }`))
	// More members than the first walk notes: the rest are read by a second.
	many := []byte(`{`)
	for i := range maxTopMembers + 2 {
		many = fmt.Appendf(many, `"m%d":%d,`, i, i)
	}
	f.Add(append(many, `"id":"last"}`...))
	f.Fuzz(func(t *testing.T, data []byte) {
		var want, got Envelope
		werr := json.Unmarshal(data, &want)
		gerr := UnmarshalEnvelope(data, &got)
		if (werr == nil) != (gerr == nil) {
			t.Fatalf("%s: encoding/json error %v, UnmarshalEnvelope error %v", data, werr, gerr)
		}
		if werr == nil && !reflect.DeepEqual(normal(want), normal(got)) {
			t.Fatalf("%s:\nencoding/json %+v\nUnmarshalEnvelope %+v", data, want, got)
		}
		var owned Envelope
		oerr := UnmarshalOwnedEnvelope(slices.Clone(data), &owned)
		if (oerr == nil) != (gerr == nil) || !reflect.DeepEqual(owned, got) {
			t.Fatalf("%s:\nUnmarshalEnvelope %+v (%v)\nUnmarshalOwnedEnvelope %+v (%v)", data, got, gerr, owned, oerr)
		}
		// A reader that has kept the texts of another event, then of this one, decodes it the same.
		var r EnvelopeReader
		var read Envelope
		if err := r.Unmarshal(slices.Clone(good), &read); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			read = Envelope{}
			rerr := r.Unmarshal(slices.Clone(data), &read)
			if (rerr == nil) != (gerr == nil) || (rerr == nil && !reflect.DeepEqual(read, got)) {
				t.Fatalf("%s:\nUnmarshalEnvelope %+v (%v)\nEnvelopeReader %+v (%v)", data, got, gerr, read, rerr)
			}
		}
	})
}

// TestEnvelopeReaderSharesTexts: events decoded by one reader share one copy of each recurring
// text, the texts that vary from event to event stay their own, and the id, idempotency key and
// hashes are read in place, in the event's own bytes.
func TestEnvelopeReaderSharesTexts(t *testing.T) {
	var r EnvelopeReader
	var decoded [2]Envelope
	for i := range decoded {
		e := sampleEnvelope()
		e.ID = fmt.Sprintf("01930000-0000-7000-8000-00000000000%d", i)
		data, err := MarshalEnvelope(&e)
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Unmarshal(data, &decoded[i]); err != nil {
			t.Fatal(err)
		}
		e.Payload = decoded[i].Payload
		if !reflect.DeepEqual(decoded[i], e) {
			t.Fatalf("decoded %+v, stored %+v", decoded[i], e)
		}
		start, end := uintptr(unsafe.Pointer(&data[0])), uintptr(unsafe.Pointer(&data[len(data)-1]))
		for name, s := range map[string]string{"id": decoded[i].ID, "idempotency_key": decoded[i].IdempotencyKey, "prev_hash": decoded[i].PrevHash, "hash": decoded[i].Hash} {
			if p := uintptr(unsafe.Pointer(unsafe.StringData(s))); s != "" && (p < start || p > end) {
				t.Errorf("%s is a copy, not read in place", name)
			}
		}
	}
	a, b := decoded[0], decoded[1]
	for _, f := range []struct {
		name string
		a, b string
		same bool
	}{
		{"type", a.Type, b.Type, true},
		{"provider", a.Provider, b.Provider, true},
		{"aggregate_kind", a.AggregateKind, b.AggregateKind, true},
		{"staff_id", a.Actor.StaffID, b.Actor.StaffID, true},
		{"role", a.Actor.Role, b.Actor.Role, true},
		{"id", a.ID, b.ID, false},
		{"aggregate", a.Aggregate, b.Aggregate, false},
	} {
		if same := unsafe.StringData(f.a) == unsafe.StringData(f.b); same != f.same {
			t.Errorf("%s: shared %v, want %v", f.name, same, f.same)
		}
	}
}

// normal makes two decodes comparable: equal instants, payloads as bytes.
func normal(e Envelope) Envelope {
	e.OccurredAt, e.RecordedAt = e.OccurredAt.UTC(), e.RecordedAt.UTC()
	if len(e.Payload) == 0 {
		e.Payload = nil
	}
	return e
}

func BenchmarkEnvelopeCodec(b *testing.B) {
	e := sampleEnvelope()
	data, _ := MarshalEnvelope(&e)
	b.Run("marshal", func(b *testing.B) {
		for b.Loop() {
			_, _ = MarshalEnvelope(&e)
		}
	})
	b.Run("unmarshal", func(b *testing.B) {
		var out Envelope
		for b.Loop() {
			_ = UnmarshalEnvelope(data, &out)
		}
	})
	b.Run("reader", func(b *testing.B) {
		var r EnvelopeReader
		var out Envelope
		for b.Loop() {
			_ = r.Unmarshal(data, &out)
		}
	})
	b.Run("encoding/json unmarshal", func(b *testing.B) {
		var out Envelope
		for b.Loop() {
			_ = json.Unmarshal(data, &out)
		}
	})
}
