package events

import (
	"bytes"
	"encoding/json"
	"testing"
)

// referenceCanonical is the plain definition CanonicalJSON must agree with: decode with
// numbers kept as written, encode with sorted keys and no HTML escaping.
func referenceCanonical(raw []byte) ([]byte, error) {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(out.Bytes(), []byte("\n")), nil
}

var canonicalCases = []string{
	`{}`, `[]`, `null`, `true`, `0`, `-1.50e+3`, `"x"`,
	`{"b":1,"a":[3,2,{"z":null,"y":false}],"c":"<&>"}`,
	` { "k" : "v" , "j" : [ 1 , 2 ] } `,
	`{"é":1,"e":2,"\u00e9x":3}`,
	`"\u00e9\/\n\u2028\t\"\\"`,
	`{"a":{"b":{"c":{}}},"A":[]}`,
	`[1,[2,[3,[4]]]]`,
	`{"n":12345678901234567890123}`,
}

func TestCanonicalJSONMatchesReference(t *testing.T) {
	for _, in := range canonicalCases {
		got, err := CanonicalJSON([]byte(in))
		want, werr := referenceCanonical([]byte(in))
		if err != nil || werr != nil || !bytes.Equal(got, want) {
			t.Errorf("CanonicalJSON(%s) = %s, %v; reference %s, %v", in, got, err, want, werr)
		}
	}
}

func TestCanonicalJSONRefuses(t *testing.T) {
	for _, in := range []string{`{"a":1,"a":2}`, `{"a":`, `[1,]`, `{"a":1} x`, "\"\xff\""} {
		if out, err := CanonicalJSON([]byte(in)); err == nil {
			t.Errorf("CanonicalJSON(%q) = %s, want an error", in, out)
		}
	}
}

func FuzzCanonicalJSONMatchesReference(f *testing.F) {
	for _, c := range canonicalCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		got, err := CanonicalJSON(in)
		if err != nil || len(in) == 0 { // an empty payload is null by definition
			return
		}
		want, werr := referenceCanonical(in)
		if werr != nil || !bytes.Equal(got, want) {
			t.Fatalf("CanonicalJSON(%q) = %s; reference %s, %v", in, got, want, werr)
		}
		again, err := CanonicalJSON(got)
		if err != nil || !bytes.Equal(again, got) {
			t.Fatalf("canonical form is not a fixed point: %s -> %s, %v", got, again, err)
		}
	})
}

func BenchmarkCanonicalJSON(b *testing.B) {
	in := []byte(`{"review_id":"R-2026-03-0001","month":"2026-03","case_id":"C-000123","reviewer_id":"S-17","findings":[{"finding_id":"F-1","category":"work_verification","negative":true,"description":"Hours for week 2 were entered without verification on file."},{"finding_id":"F-2","category":"case_notes","negative":false,"description":"CLNO entries complete and timely."}]}`)
	for b.Loop() {
		if _, err := CanonicalJSON(in); err != nil {
			b.Fatal(err)
		}
	}
}
