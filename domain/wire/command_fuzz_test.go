package wire

import (
	"strings"
	"testing"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/domain/internal/commandtest"
	"github.com/wsledger/wsledger/events"
)

// FuzzDecodeCommand feeds arbitrary bytes to DecodeCommand: it may refuse, always with an
// *events.Error that never repeats a client number, but must never panic; what it accepts must
// pass its own validation again.
func FuzzDecodeCommand(f *testing.F) {
	for _, js := range commandtest.Valid() {
		f.Add([]byte(js))
	}
	f.Add([]byte(`{"type":"ReportCaseload","cases":[{"case_id":1e400}]}`))
	f.Add([]byte(`{"type":"ReturnClientCall","expected_version":18446744073709551616}`))
	f.Add([]byte(`{"type":"ReceiveClientCall","client_number":"12345678x"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		cmd, err := DecodeCommand(data)
		if err != nil {
			if events.ErrorCode(err) != events.Invalid {
				t.Fatalf("refusal %v is not invalid", err)
			}
			if strings.Contains(string(data), commandtest.ClientNumber) && strings.Contains(err.Error(), commandtest.ClientNumber) {
				t.Fatalf("refusal repeats a client number: %v", err)
			}
			return
		}
		if err := domain.Validate(cmd); err != nil {
			t.Fatalf("accepted a command that fails validation: %v", err)
		}
	})
}
