package events

import (
	"bytes"
	"encoding/json"
)

// MarshalEnvelope encodes an event as the log stores it: JSON without HTML escaping, so that
// the stored payload bytes are its canonical bytes.
func MarshalEnvelope(e *Envelope) ([]byte, error) {
	var b bytes.Buffer
	b.Grow(512 + len(e.Payload))
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(e); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// UnmarshalEnvelope decodes a stored event.
func UnmarshalEnvelope(data []byte, e *Envelope) error {
	return json.Unmarshal(data, e)
}
