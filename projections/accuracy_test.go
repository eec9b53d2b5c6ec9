package projections

import (
	"testing"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/projections/internal/fixture"
)

// TestConfirmationFollowsPeriodsAsOfJuly: a June WSQR at 85/100 recorded before a March WSQR at
// 70/100. As of July, on the occurred clock, the provider is not under performance confirmation:
// the reviews count in the order of their periods, March's then June's.
func TestConfirmationFollowsPeriodsAsOfJuly(t *testing.T) {
	log, clock := fixture.Open(t)
	l := fixture.NewLedger(log, clock)
	for _, c := range []struct{ at, cmd string }{
		{"2025-01-06T09:00:00", `{"type":"RegisterProvider","provider":"p1","actor":{"staff_id":"ad1","role":"admin"},"name":"P1","region":"r"}`},
		{"2025-06-10T10:00:00", `{"type":"ReceiveWSQRFindings","provider":"p1","actor":{"staff_id":"pm1","role":"program_manager"},"wsqr_id":"W-JUN","period":"2025-06","findings":[],"work_verification":{"correct":85,"reviewed":100}}`},
		{"2025-06-11T10:00:00", `{"type":"ReceiveWSQRFindings","provider":"p1","actor":{"staff_id":"pm1","role":"program_manager"},"wsqr_id":"W-MAR","period":"2025-03","findings":[],"work_verification":{"correct":70,"reviewed":100}}`},
	} {
		at, _ := fixture.ParseTime(c.at)
		if _, err := l.Submit(t.Context(), at, []byte(c.cmd)); err != nil {
			t.Fatal(err)
		}
	}
	r, err := New(log, domain.DefaultPolicy()).Replay(t.Context(), "p1", alaska(t, "2025-07-15T12:00:00"), events.Occurred)
	if err != nil {
		t.Fatal(err)
	}
	a := r.Accuracy()
	if a.Status.Computed || r.Overview().Confirmation.Computed {
		t.Error("required as of July: the June review at 85% follows the March one at 70% and ends performance confirmation")
	}
	if len(a.Reviews) != 2 || a.Reviews[0].WSQRID != "W-MAR" || !a.Reviews[0].Required || a.Reviews[1].Before != true || a.Reviews[1].Required {
		t.Errorf("reviews %+v, want March (required) then June (before required, after not)", a.Reviews)
	}
}
