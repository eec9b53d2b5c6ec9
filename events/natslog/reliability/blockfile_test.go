package reliability

import (
	"bytes"
	"testing"

	"github.com/wsledger/wsledger/events/natslog/natstest"
)

// flipPayloadDigit changes one digit of an event's payload in place, keeping the JSON valid,
// the way a deliberate edit would.
func flipPayloadDigit(t *testing.T, buf []byte, r natstest.Record) {
	t.Helper()
	body := buf[r.Data : r.End-natstest.RecordHashLen]
	i := bytes.Index(body, []byte(`"payload":{"n":`))
	if i < 0 {
		t.Fatalf("no payload in the record of sequence %d", r.Seq)
	}
	body[i+len(`"payload":{"n":`)] ^= 1 // '0' <-> '1', '2' <-> '3', ...
}
