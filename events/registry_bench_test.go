package events

import (
	"encoding/json"
	"testing"
)

func BenchmarkRegistryDecode(b *testing.B) {
	for _, name := range []string{TypeFileReviewRecorded, TypeClientCallReceived, TypeConcernResolved} {
		b.Run(name, func(b *testing.B) {
			raw, err := json.Marshal(samplePayloads[name])
			if err != nil {
				b.Fatal(err)
			}
			canonical, err := CanonicalJSON(raw)
			if err != nil {
				b.Fatal(err)
			}
			e := Envelope{Type: name, Version: CurrentVersion(name), Payload: canonical}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Catalogue.Decode(e); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
