package runner

import (
	"bytes"
	"encoding/json"
	"io"
	"testing"
	"testing/iotest"
)

// TestProviderStateEncodesAsEncodingJSON: splicing a compact state into its object gives the
// bytes encoding/json writes for the whole object, whatever the size of the reads.
func TestProviderStateEncodesAsEncodingJSON(t *testing.T) {
	for _, state := range []string{`{"events":3,"hash":"ab"}`, `[]`, `"text with \"quotes\""`, `{"nested":{"a":[1,2,{"b":null}]}}`} {
		s := providerState{Format: snapshotFormat, Name: "views", Version: 2, Provider: "north-star", Checkpoint: 42}
		r, err := s.encode([]byte(state))
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(iotest.OneByteReader(r)) // reads of every size fill as far as they go
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
		if r, err = s.encode([]byte(state)); err != nil {
			t.Fatal(err)
		} else if err := iotest.TestReader(r, want); err != nil {
			t.Errorf("state %s: %v", state, err)
		}
	}
}
