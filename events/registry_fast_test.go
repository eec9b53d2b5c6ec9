package events

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"
)

// payloadTypes lists the catalogue's payload types in name order, from the sample payloads.
func payloadTypes() []reflect.Type {
	var out []reflect.Type
	for _, name := range Catalogue.Types() {
		out = append(out, reflect.TypeOf(samplePayloads[name]))
	}
	return out
}

// decodeBoth decodes raw into a new value of t by decodeFast and, when it reads it, strictly.
func decodeBoth(t reflect.Type, raw []byte) (fast, strict reflect.Value, read bool, err error) {
	fast, strict = reflect.New(t), reflect.New(t)
	if !decodeFast(raw, fast.Interface()) {
		return fast, strict, false, nil
	}
	return fast, strict, true, decodeStrict(raw, strict.Interface())
}

func TestFastPayloadDecodeReadsWhatDecodeStrictReads(t *testing.T) {
	for name, p := range samplePayloads {
		raw, _ := json.Marshal(p)
		canonical, _ := CanonicalJSON(raw)
		for _, in := range [][]byte{raw, canonical, slices.Concat([]byte(" \n"), raw, []byte("\t "))} {
			fast, strict, read, err := decodeBoth(reflect.TypeOf(p), in)
			if !read || err != nil || !reflect.DeepEqual(fast.Interface(), strict.Interface()) {
				t.Errorf("%s %s: read %v, strict %v; fast %+v, strict %+v", name, in, read, err, fast.Elem(), strict.Elem())
			}
		}
	}
	// Escapes, empty lists and negative counts.
	for _, c := range []struct {
		typ reflect.Type
		raw string
	}{
		{reflect.TypeFor[ClientCallReceived](), `{"concern_id":"K\u0031","client_number":"1","summary":"a\"b\\c\n\ud83d\ude00 é"}`},
		{reflect.TypeFor[ClientCallReceived](), `{"concern_\u0069d":"K1"}`},
		{reflect.TypeFor[FileReviewRecorded](), `{"findings":[],"review_id":"R1"}`},
		{reflect.TypeFor[PerformanceMeasuresPosted](), `{"measures":[{"measure":"m","numerator":-0,"denominator":-5}]}`},
	} {
		fast, strict, read, err := decodeBoth(c.typ, []byte(c.raw))
		if !read || err != nil || !reflect.DeepEqual(fast.Interface(), strict.Interface()) {
			t.Errorf("%s: read %v, strict %v; fast %+v, strict %+v", c.raw, read, err, fast.Elem(), strict.Elem())
		}
	}
}

// TestFastPayloadDecodeAgreesOnTheEdges: on inputs at the edges of what either reads, decodeFast
// reads nothing decodeStrict refuses and nothing otherwise than decodeStrict does.
func TestFastPayloadDecodeAgreesOnTheEdges(t *testing.T) {
	typ := reflect.TypeFor[FileReviewRecorded]()
	for _, raw := range []string{
		``, `null`, `[]`, `"x"`, `{`, `{"review_id":"R1"} {}`, `{"review_id":"R1"} x`, `{"review_id":null}`,
		`{"findings":null}`, `{"findings":[null]}`, `{"findings":{}}`, `{"findings":[{"negative":1}]}`,
		`{"findings":[{"negative":null}]}`, `{"findings":[{"finding_id":"F1","finding_id":"F2"}]}`,
		`{"review_id":"R1","review_id":"R2"}`, `{"Review_ID":"R1"}`, `{"review_ıd":"R1"}`, `{"ssn":"1"}`,
		`{"review_id":1}`, `{"findings":[{"negative":"true"}]}`, `{"review_id":"\ud800"}`, "{\"review_id\":\"\xff\"}",
	} {
		agree(t, typ, raw)
	}
	counts := reflect.TypeFor[WorkVerification]()
	for _, raw := range []string{`{"correct":1.0}`, `{"correct":1e2}`, `{"correct":9223372036854775808}`, `{"correct":"1"}`, `{"correct":-0}`} {
		agree(t, counts, raw)
	}
}

// agree checks that what decodeFast reads, decodeStrict reads alike.
func agree(t *testing.T, typ reflect.Type, raw string) {
	t.Helper()
	fast, strict, read, err := decodeBoth(typ, []byte(raw))
	if read && (err != nil || !reflect.DeepEqual(fast.Interface(), strict.Interface())) {
		t.Errorf("%s: decodeFast read %+v; decodeStrict %+v, %v", raw, fast.Elem(), strict.Elem(), err)
	}
}

// FuzzFastPayloadDecodeMatchesDecodeStrict checks that whatever decodeFast reads, decodeStrict
// reads too, to the same value.
func FuzzFastPayloadDecodeMatchesDecodeStrict(f *testing.F) {
	types := payloadTypes()
	for i, typ := range types {
		raw, _ := json.Marshal(reflect.Zero(typ).Interface())
		f.Add(uint8(i), raw)
		sample, _ := json.Marshal(samplePayloads[Catalogue.Types()[i]])
		f.Add(uint8(i), sample)
	}
	f.Fuzz(func(t *testing.T, which uint8, raw []byte) {
		typ := types[int(which)%len(types)]
		fast, strict, read, err := decodeBoth(typ, raw)
		if !read {
			return
		}
		if err != nil {
			t.Fatalf("%s: decodeFast read %q, which decodeStrict refuses: %v", typ, raw, err)
		}
		if !reflect.DeepEqual(fast.Interface(), strict.Interface()) {
			t.Fatalf("%s %q: fast %+v, strict %+v", typ, raw, fast.Elem(), strict.Elem())
		}
	})
}

// TestEveryPayloadTypeHasADecodePlan: every payload of the catalogue is read by its plan, not by the
// general decoder, and its samples are read by the plan itself.
func TestEveryPayloadTypeHasADecodePlan(t *testing.T) {
	for _, name := range Catalogue.Types() {
		typ := reflect.TypeOf(samplePayloads[name])
		p := decodePlanOf(typ)
		if p == nil {
			t.Errorf("%s has no decode plan", typ)
			continue
		}
		raw, err := EncodePayload(samplePayloads[name]) // as stored
		if err != nil {
			t.Fatal(err)
		}
		if v := reflect.New(typ).Elem(); !p.decode(raw, v) {
			t.Errorf("%s: the plan does not read the sample %s", typ, raw)
		}
	}
}

// TestDecodePlanRefusesWhatItCannotRead: a type with a field the plan does not read has no plan,
// and its payloads go to the general decoder.
func TestDecodePlanRefusesWhatItCannotRead(t *testing.T) {
	type flat struct {
		A string `json:"a"`
	}
	type nested struct {
		Inner flat `json:"inner"`
	}
	for _, c := range []struct {
		name string
		typ  reflect.Type
		want bool
	}{
		{"texts, numbers, booleans, a struct and lists", reflect.TypeFor[FileReviewRecorded](), true},
		{"a list of structs that hold a struct", reflect.TypeFor[struct {
			L []nested `json:"l"`
		}](), false},
		{"an unexported field", reflect.TypeFor[struct {
			A string `json:"a"`
			b string
		}](), false},
		{"a field without a json name", reflect.TypeFor[struct{ A string }](), false},
		{"a string option", reflect.TypeFor[struct {
			N int64 `json:"n,string"`
		}](), false},
		{"a 32-bit number", reflect.TypeFor[struct {
			N int32 `json:"n"`
		}](), false},
		{"a field that decodes itself", reflect.TypeFor[struct {
			R json.RawMessage `json:"r"`
		}](), false},
	} {
		if got := buildDecodePlan(c.typ) != nil; got != c.want {
			t.Errorf("%s: has a plan %v, want %v", c.name, got, c.want)
		}
	}
}
