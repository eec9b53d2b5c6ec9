package reliability

import (
	"encoding/json"
	"testing"

	"github.com/google/uuid"

	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/events/natslog"
)

// TestUnusualInputVerifies appends requests the log's checks let through but JSON may not carry
// as they are: text that is not valid UTF-8, and payloads that are JSON null or empty. The log
// must refuse each as invalid, or store it so that it verifies: an event that comes back
// altered reads as tampered with.
func TestUnusualInputVerifies(t *testing.T) {
	l := open(t, natslog.Options{DataDir: t.TempDir()})
	cases := map[string]func(*events.AppendRequest){
		"actor staff id":  func(r *events.AppendRequest) { r.Actor.StaffID = "cm\xff1" },
		"actor role":      func(r *events.AppendRequest) { r.Actor.Role = "case\xe2\x80manager" },
		"idempotency key": func(r *events.AppendRequest) { r.IdempotencyKey = "k-\xc3" },
		"event type":      func(r *events.AppendRequest) { r.Events[0].Type = "ItemNoted\xfe" },
		"null payload":    func(r *events.AppendRequest) { r.Events[0].Payload = json.RawMessage(`null`) },
		"empty payload":   func(r *events.AppendRequest) { r.Events[0].Payload = nil },
	}
	for name, spoil := range cases {
		t.Run(name, func(t *testing.T) {
			provider := "p-" + uuid.NewString()[:8]
			r := request(provider, "", 1)
			spoil(&r)
			_, err := l.Append(t.Context(), r)
			if events.ErrorCode(err) == events.Invalid {
				return
			}
			if err != nil {
				t.Fatalf("append: %v", err)
			}
			if rep, err := events.Verify(t.Context(), l, provider, nil); err != nil || !rep.Intact {
				t.Errorf("the log stored an event that does not verify: %v, %v", rep.Tamper, err)
			}
		})
	}
}
