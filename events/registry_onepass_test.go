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

// decodeBoth decodes raw into a new value of t by plan and, when the plan reads it, strictly.
func decodeBoth(t reflect.Type, raw []byte) (onePass, strict reflect.Value, read bool, err error) {
	onePass, strict = reflect.New(t), reflect.New(t)
	if !payloadPlanOf(t).decode(raw, onePass.Elem()) {
		return onePass, strict, false, nil
	}
	return onePass, strict, true, decodeStrict(raw, strict.Interface())
}

func TestEveryPayloadTypeHasAPlan(t *testing.T) {
	for _, typ := range payloadTypes() {
		if payloadPlanOf(typ) == nil {
			t.Errorf("%s has no one-pass plan", typ)
		}
	}
}

func TestPayloadPlanReadsWhatDecodeStrictReads(t *testing.T) {
	for name, p := range samplePayloads {
		raw, _ := json.Marshal(p)
		canonical, _ := CanonicalJSON(raw)
		for _, in := range [][]byte{raw, canonical, slices.Concat([]byte(" \n"), raw, []byte("\t "))} {
			onePass, strict, read, err := decodeBoth(reflect.TypeOf(p), in)
			if !read || err != nil || !reflect.DeepEqual(onePass.Interface(), strict.Interface()) {
				t.Errorf("%s %s: read %v, strict %v; one pass %+v, strict %+v", name, in, read, err, onePass.Elem(), strict.Elem())
			}
		}
	}
	// Escapes, empty lists and negative counts.
	for _, c := range []struct {
		typ reflect.Type
		raw string
	}{
		{reflect.TypeFor[ClientCallReceived](), `{"concern_id":"K\u0031","client_number":"1","summary":"a\"b\\c\n\ud800 é"}`},
		{reflect.TypeFor[ClientCallReceived](), `{"concern_\u0069d":"K1"}`},
		{reflect.TypeFor[FileReviewRecorded](), `{"findings":[],"review_id":"R1"}`},
		{reflect.TypeFor[PerformanceMeasuresPosted](), `{"measures":[{"measure":"m","numerator":-0,"denominator":-5}]}`},
	} {
		onePass, strict, read, err := decodeBoth(c.typ, []byte(c.raw))
		if !read || err != nil || !reflect.DeepEqual(onePass.Interface(), strict.Interface()) {
			t.Errorf("%s: read %v, strict %v; one pass %+v, strict %+v", c.raw, read, err, onePass.Elem(), strict.Elem())
		}
	}
}

func TestPayloadPlanLeavesTheRestToDecodeStrict(t *testing.T) {
	typ := reflect.TypeFor[FileReviewRecorded]()
	for _, raw := range []string{
		``, `null`, `[]`, `"x"`, `{`, `{"review_id":"R1"} {}`, `{"review_id":"R1"} x`, `{"review_id":null}`,
		`{"findings":null}`, `{"findings":[null]}`, `{"findings":{}}`, `{"findings":[{"negative":1}]}`,
		`{"findings":[{"negative":null}]}`, `{"findings":[{"finding_id":"F1","finding_id":"F2"}]}`,
		`{"review_id":"R1","review_id":"R2"}`, `{"Review_ID":"R1"}`, `{"review_ıd":"R1"}`, `{"ssn":"1"}`,
		`{"review_id":1}`, `{"findings":[{"negative":"true"}]}`,
	} {
		if _, _, read, _ := decodeBoth(typ, []byte(raw)); read {
			t.Errorf("the plan read %s", raw)
		}
	}
	counts := reflect.TypeFor[WorkVerification]()
	for _, raw := range []string{`{"correct":1.0}`, `{"correct":1e2}`, `{"correct":9223372036854775808}`, `{"correct":"1"}`} {
		if _, _, read, _ := decodeBoth(counts, []byte(raw)); read {
			t.Errorf("the plan read %s", raw)
		}
	}
}

// FuzzPayloadPlanMatchesDecodeStrict checks that whatever a payload plan reads, decodeStrict
// reads too, to the same value.
func FuzzPayloadPlanMatchesDecodeStrict(f *testing.F) {
	types := payloadTypes()
	for i, typ := range types {
		raw, _ := json.Marshal(reflect.Zero(typ).Interface())
		f.Add(uint8(i), raw)
		sample, _ := json.Marshal(samplePayloads[Catalogue.Types()[i]])
		f.Add(uint8(i), sample)
	}
	f.Fuzz(func(t *testing.T, which uint8, raw []byte) {
		typ := types[int(which)%len(types)]
		onePass, strict, read, err := decodeBoth(typ, raw)
		if !read {
			return
		}
		if err != nil {
			t.Fatalf("%s: the plan read %q, which decodeStrict refuses: %v", typ, raw, err)
		}
		if !reflect.DeepEqual(onePass.Interface(), strict.Interface()) {
			t.Fatalf("%s %q: one pass %+v, strict %+v", typ, raw, onePass.Elem(), strict.Elem())
		}
	})
}
