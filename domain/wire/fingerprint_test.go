package wire

import (
	"bytes"
	"testing"

	"github.com/wsledger/wsledger/events"
)

func canonicalSamples() []string {
	return append(onePassSamples(),
		`{}`, `[]`, `null`, `true`, `false`, `0`, `-1.50e+3`, `"x"`, ` [ 1 , [ ] , { } , "a" ] `,
		`{"b":1,"a":[3,2,{"z":null,"y":false}],"c":"<&>"}`, `{"é":1,"e":2,"ex":3}`, `{"a":{"b":{"c":{}}},"A":[]}`,
		`{"n":12345678901234567890123}`, "\"\x7f\"", `{"a":1,"a":2}`, `{"a":1,"b":{"a":1,"a":1}}`,
		`"\u00e9"`, "\"\u2028\"", "{\"\u2029\":1}", `{"a\"":1}`, `{"a":`, `[1,]`, `{"a":1} x`, `01`, "",
	)
}

// TestPlainCanonicalJSON checks that the plain path gives CanonicalJSON's bytes, and takes
// the commands clients send.
func TestPlainCanonicalJSON(t *testing.T) {
	for _, in := range canonicalSamples() {
		got, ok := plainCanonicalJSON([]byte(in))
		want, err := events.CanonicalJSON([]byte(in))
		if ok && (err != nil || !bytes.Equal(got, want)) {
			t.Errorf("plainCanonicalJSON(%q) = %s; CanonicalJSON %s, %v", in, got, want, err)
		}
	}
	for _, in := range onePassSamples() {
		if _, ok := plainCanonicalJSON([]byte(in)); !ok && !bytes.ContainsAny([]byte(in), "\\\u2028") {
			t.Errorf("plainCanonicalJSON gave up on the plain command %s", in)
		}
	}
}

func FuzzPlainCanonicalJSONMatchesCanonicalJSON(f *testing.F) {
	for _, in := range canonicalSamples() {
		f.Add([]byte(in))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		got, ok := plainCanonicalJSON(in)
		if !ok {
			return
		}
		want, err := events.CanonicalJSON(in)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("plainCanonicalJSON(%q) = %s; CanonicalJSON %s, %v", in, got, want, err)
		}
	})
}
