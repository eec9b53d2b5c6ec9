package natslog

import (
	"encoding/json"
	"testing"

	jsonv2 "github.com/go-json-experiment/json"
)

// BenchmarkParseAck reads a plain acknowledgement, one per append: by hand (parseAck), with
// encoding/json and with github.com/go-json-experiment/json. The figures in parseAck's doc
// comment come from it.
func BenchmarkParseAck(b *testing.B) {
	data := []byte(`{"stream":"LEDGER","seq":1234567}`)
	for _, p := range []struct {
		name string
		read func() error
	}{
		{"hand-written", func() error { _, err := parseAck(data); return err }},
		{"encoding-json", func() error { var a pubAck; return json.Unmarshal(data, &a) }},
		{"json-experiment", func() error { var a pubAck; return jsonv2.Unmarshal(data, &a) }},
	} {
		b.Run(p.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := p.read(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
