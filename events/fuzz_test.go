package events

import (
	"encoding/json"
	"testing"
)

// FuzzDecode feeds arbitrary types, versions and payloads to Decode and the upcasters: they may
// refuse, but must never panic, and whatever Decode accepts must be of a catalogue type.
func FuzzDecode(f *testing.F) {
	for name, p := range samplePayloads {
		raw, _ := json.Marshal(p)
		f.Add(name, CurrentVersion(name), raw)
	}
	f.Add(TypeConcernResolved, 1, []byte(`{"concern_id":"K1"}`))
	f.Add(TypeConcernResolved, 1, []byte(`null`))
	f.Add("Nope", -1, []byte(`[`))
	f.Fuzz(func(t *testing.T, typ string, version int, payload []byte) {
		v, err := Decode(Envelope{Type: typ, Version: version, Payload: payload})
		if err == nil && CurrentVersion(typ) == 0 {
			t.Fatalf("Decode accepted unknown type %q as %T", typ, v)
		}
		_, _ = UpcastConcernResolvedV1(payload)
		_, _ = UpcastDPAReportReceivedV1(payload)
		_, _ = UpcastConcernResolvedV2(payload)
	})
}
