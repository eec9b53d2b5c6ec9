package wire

import (
	"bytes"
	"encoding/json"
	"testing"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/domain/internal/commandtest"
	"github.com/wsledger/wsledger/events"
)

// BenchmarkJSONLibraries measures the hand-written passes over a command against what a library
// would do in their place, on the typical file review (with a zone, which the libraries need):
// decoding (decodeOnePass; the tree with
// strictDecoder that names the field of a refusal; encoding/json and
// github.com/go-json-experiment/json refusing unknown fields, which name no JSON path) and the
// fingerprint's canonical form (the plain path; events.CanonicalJSON; jsontext's RFC 8785
// canonicalisation, which writes numbers differently and so could not keep the fingerprints
// stored). The figures in the doc comments of decodeOnePass and appendPlainCanonicalJSON come
// from it.
func BenchmarkJSONLibraries(b *testing.B) {
	// occurred_at with its zone: the libraries read no local Alaska time.
	data := bytes.Replace([]byte(commandtest.Typical[0].JSON), []byte(`T10:00:00"`), []byte(`T10:00:00-08:00"`), 1)
	text := string(data)
	fresh := func() domain.Command { c, _ := domain.NewCommand(commandtest.Typical[0].Name); return c }
	passes := []struct {
		name string
		ok   func() bool
	}{
		{"decode/one-pass", func() bool { _, ok := decodeOnePass(text); return ok }},
		{"decode/tree", func() bool { _, e := decodeByTree(data); return e == nil }},
		{"decode/encoding-json", func() bool {
			d := json.NewDecoder(bytes.NewReader(data))
			d.DisallowUnknownFields()
			return d.Decode(fresh()) == nil
		}},
		{"decode/json-experiment", func() bool { return jsonv2.Unmarshal(data, fresh(), jsonv2.RejectUnknownMembers(true)) == nil }},
		{"canonical/plain", func() bool { _, ok := plainCanonicalJSON(data); return ok }},
		{"canonical/events.CanonicalJSON", func() bool { _, err := events.CanonicalJSON(data); return err == nil }},
		{"canonical/json-experiment", func() bool { v := jsontext.Value(bytes.Clone(data)); return v.Canonicalize() == nil }},
	}
	for _, p := range passes {
		b.Run(p.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if !p.ok() {
					b.Fatal("the input was refused")
				}
			}
		})
	}
}
