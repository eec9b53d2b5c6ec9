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

// TestDecodeHeaderReadsAsEncodingJSON: the header read without scanning the state gives what
// encoding/json reads, for objects as encode writes them and for others (the state not last,
// spaces), and refuses what encoding/json refuses.
func TestDecodeHeaderReadsAsEncodingJSON(t *testing.T) {
	s := providerState{Format: snapshotFormat, Name: "views", Version: 2, Provider: "north-star", Checkpoint: 42}
	r, err := s.encode([]byte(`{"chain":{"events":3},"texts":["","a}"]}`))
	if err != nil {
		t.Fatal(err)
	}
	written, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, data := range []string{
		string(written),
		`{"state":{"a":1},"format":"wsledger-projection/1","name":"views","version":2,"provider":"p","checkpoint":7}`,
		` { "format" : "wsledger-projection/1", "provider":"p", "state" : [1, 2] } `,
		`{"format":"wsledger-projection/1","unknown":true,"state":{}}`,
	} {
		var want providerState
		if err := json.Unmarshal([]byte(data), &want); err != nil {
			t.Fatal(err)
		}
		got, err := decodeHeader([]byte(data))
		if err != nil {
			t.Fatalf("%s: %v", data, err)
		}
		same := got.Format == want.Format && got.Name == want.Name && got.Version == want.Version &&
			got.Provider == want.Provider && got.Checkpoint == want.Checkpoint
		if !same || !bytes.Equal(bytes.TrimSpace(got.State), bytes.TrimSpace(want.State)) {
			t.Errorf("%s:\nread %+v\nwant %+v", data, got, want)
		}
	}
	for _, data := range []string{``, `[]`, `{"format":1,"state":{}}`, `{"format":"x",`} {
		if _, err := decodeHeader([]byte(data)); err == nil {
			t.Errorf("%q was read", data)
		}
	}
}
