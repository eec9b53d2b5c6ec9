package runner

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestProviderStateEncodesAsEncodingJSON: splicing a compact state into its object gives the
// bytes encoding/json writes for the whole object.
func TestProviderStateEncodesAsEncodingJSON(t *testing.T) {
	for _, state := range []string{`{"events":3,"hash":"ab"}`, `[]`, `"text with \"quotes\""`, `{"nested":{"a":[1,2,{"b":null}]}}`} {
		s := providerState{Format: snapshotFormat, Name: "views", Version: 2, Provider: "north-star", Checkpoint: 42}
		got, err := s.encode([]byte(state))
		if err != nil {
			t.Fatal(err)
		}
		s.State = json.RawMessage(state)
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("state %s:\n got %s\nwant %s", state, got, want)
		}
	}
}
