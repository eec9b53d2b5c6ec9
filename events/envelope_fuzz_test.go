package events

import (
	"reflect"
	"testing"
)

// FuzzEnvelopeRoundTrip checks that what the log stores is what was hashed: any event with a
// canonical payload (the only kind the log stores) that MarshalEnvelope accepts decodes back, through UnmarshalEnvelope, to the same event with the
// same hash, so an untouched event always verifies. (That UnmarshalEnvelope never panics and
// agrees with encoding/json on any input is FuzzUnmarshalEnvelopeMatchesEncodingJSON.)
func FuzzEnvelopeRoundTrip(f *testing.F) {
	addEnvelopeSeeds(f)
	f.Fuzz(func(t *testing.T, id, typ string, version int, provider, kind, agg string, occurred, recorded int64,
		staff, role, key string, position uint64, prev string, payload []byte) {
		e := fuzzEnvelope(id, typ, version, provider, kind, agg, occurred, recorded, staff, role, key, position, prev, payload)
		canon, err := CanonicalJSON(payload)
		if err != nil {
			return // the log refuses a payload that is not JSON
		}
		e.Payload = canon // and stores every other in canonical form
		if e.Hash, err = ComputeHash(&e); err != nil {
			t.Fatal(err)
		}
		data, err := MarshalEnvelope(&e)
		if err != nil {
			return // refused: nothing is stored
		}
		var back Envelope
		if err := UnmarshalEnvelope(data, &back); err != nil {
			t.Fatalf("the stored form %s does not decode: %v", data, err)
		}
		if h, err := ComputeHash(&back); err != nil || h != back.Hash {
			t.Fatalf("an untouched event does not verify: stored %s\ndecoded %+v\nits hash %s, computed %s (%v)", data, back, back.Hash, h, err)
		}
		if !reflect.DeepEqual(normal(back), normal(e)) {
			t.Fatalf("stored %s\ndecoded %+v\nwant    %+v", data, back, e)
		}
	})
}
