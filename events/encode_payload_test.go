package events

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// encodeReference is what EncodePayload stands for.
func encodeReference(v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return CanonicalJSON(raw)
}

// filler makes a value of any plan-able type from fuzz bytes: strings of any bytes (valid
// UTF-8 or not, escapes, HTML characters, line separators), empty and zero fields, nil and
// empty slices.
type filler struct{ in []byte }

func (f *filler) byte() byte {
	if len(f.in) == 0 {
		return 0
	}
	b := f.in[0]
	f.in = f.in[1:]
	return b
}

func (f *filler) fill(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		n := int(f.byte() % 12)
		if n > len(f.in) {
			n = len(f.in)
		}
		s := string(f.in[:n])
		f.in = f.in[n:]
		if f.byte()%4 == 0 {
			s += "<é>\u2028\"\\\n"
		}
		v.SetString(s)
	case reflect.Bool:
		v.SetBool(f.byte()%2 == 1)
	case reflect.Int, reflect.Int64:
		n := int64(int8(f.byte()))
		if f.byte()%3 == 0 {
			n *= 1 << 40
		}
		v.SetInt(n)
	case reflect.Slice:
		switch n := int(f.byte() % 5); n {
		case 0: // nil
		default:
			s := reflect.MakeSlice(v.Type(), n-1, n-1)
			for i := range n - 1 {
				f.fill(s.Index(i))
			}
			v.Set(s)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			f.fill(v.Field(i))
		}
	}
}

// FuzzEncodePayloadMatchesReference checks EncodePayload byte for byte against
// CanonicalJSON(json.Marshal(v)) for values of every catalogue payload type made from the fuzz
// input, and for the values Decode reads from it.
func FuzzEncodePayloadMatchesReference(f *testing.F) {
	types := payloadTypes()
	for i := range types {
		raw, _ := json.Marshal(samplePayloads[Catalogue.Types()[i]])
		f.Add(uint8(i), raw)
		f.Add(uint8(i), []byte("\x05abc\xffd\x01\x00\x03\x04x<>&\x02\x07"))
	}
	f.Add(uint8(0), []byte{})
	f.Fuzz(func(t *testing.T, which uint8, in []byte) {
		typ := types[int(which)%len(types)]
		v := reflect.New(typ).Elem()
		(&filler{in: in}).fill(v)
		check := func(v any) {
			want, werr := encodeReference(v)
			got, err := EncodePayload(v)
			if !bytes.Equal(got, want) || (err == nil) != (werr == nil) {
				t.Fatalf("EncodePayload(%#v) = %s, %v; want %s, %v", v, got, err, want, werr)
			}
		}
		check(v.Interface())
		check(v.Addr().Interface())
		name := Catalogue.Types()[int(which)%len(types)]
		if d, err := Decode(Envelope{Type: name, Version: CurrentVersion(name), Payload: in}); err == nil {
			check(d)
		}
	})
}

// TestEncodePayloadLeavesOthersToEncodingJSON checks the values the one-pass writer leaves to
// encoding/json and CanonicalJSON: they come out as the reference writes them.
func TestEncodePayloadLeavesOthersToEncodingJSON(t *testing.T) {
	type tagged struct {
		A string `json:"a,string"`
	}
	type inner struct {
		Z int `json:"z"`
	}
	type embedded struct {
		inner
		Y string `json:"y"`
	}
	type mixed struct {
		F  float64        `json:"f"`
		M  map[string]int `json:"m"`
		P  *string        `json:"p"`
		B  []byte         `json:"b"`
		T  time.Time      `json:"t"`
		U  uint           `json:"u"`
		N  string         `json:"n,omitempty"`
		Is []int          `json:"is,omitempty"`
	}
	s := "x"
	for _, v := range []any{
		nil, (*ClientCallReceived)(nil), "text", 12, []string{"b", "a"}, map[string]int{"b": 1, "a": 2},
		tagged{A: "1"}, embedded{inner{1}, "y"},
		mixed{F: 1.5, M: map[string]int{"b": 1, "a": 2}, P: &s, B: []byte("hi"), T: time.Unix(1, 0).UTC(), U: 7},
		ClientCallReceived{ConcernID: "Q1", ClientNumber: "bad \xff byte", Summary: "s"},
		&ClientCallReceived{ConcernID: "Q1"},
	} {
		want, werr := encodeReference(v)
		got, err := EncodePayload(v)
		if !bytes.Equal(got, want) || (err == nil) != (werr == nil) {
			t.Errorf("EncodePayload(%#v) = %s, %v; want %s, %v", v, got, err, want, werr)
		}
	}
}

func BenchmarkEncodePayload(b *testing.B) {
	v := FileReviewRecorded{ReviewID: "R17", Month: "2026-03", CaseID: "C2", CaseManagerID: "cm1", ReviewerID: "pm1",
		ReviewerRole: "program_manager", Findings: []Finding{{FindingID: "F17", Category: "work_verification", Negative: true,
			Description: "hours for week 2 entered without verification"}}}
	b.Run("EncodePayload", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := EncodePayload(v); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("json.Marshal+CanonicalJSON", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := encodeReference(v); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func TestEveryPayloadTypeHasAnEncodePlan(t *testing.T) {
	for _, typ := range payloadTypes() {
		if encodePlanOf(typ) == nil {
			t.Errorf("%s has no one-pass encoding plan", typ)
		}
	}
}
