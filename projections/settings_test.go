package projections

import (
	"testing"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/projections/internal/fixture"
)

// TestReplayUsesTheSettingsInForceThen: settings recorded in the history (a closure proclaimed
// for Friday 13 March) move the deadlines running across it from when they were recorded: a
// replay as of before shows the deadline the ledger knew then, one as of after the new one, and
// the live views follow the history, not the views' own policy.
func TestReplayUsesTheSettingsInForceThen(t *testing.T) {
	log, clock := fixture.Open(t)
	l := fixture.NewLedger(log, clock)
	settings := domain.DefaultPolicy().Settings()
	settings.Closures = []events.Closure{{Date: "2026-03-13", Name: "Proclaimed closure"}}
	for _, c := range []struct{ at, cmd string }{
		{"2026-03-02T09:00:00", `{"type":"RegisterProvider","provider":"p1","actor":{"staff_id":"ad1","role":"admin"},"name":"P1","region":"r"}`},
		{"2026-03-09T10:00:00", `{"type":"LearnCircumstanceChange","provider":"p1","actor":{"staff_id":"cm1","role":"case_manager"},"change_id":"X1","client_number":"55501234","description":"d"}`},
		{"2026-03-11T09:00:00", `{"type":"RecordPolicySettings","provider":"p1","actor":{"staff_id":"wsledger","role":"admin"},"settings":` + jsonOf(t, settings) + `}`},
	} {
		at, _ := fixture.ParseTime(c.at)
		if _, err := l.Submit(t.Context(), at, []byte(c.cmd)); err != nil {
			t.Fatal(err)
		}
	}
	v := New(log, domain.DefaultPolicy())
	due := func(at string) string {
		r, err := v.Replay(t.Context(), "p1", alaska(t, at), events.Recorded)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range r.Deadlines().Items {
			if it.ID == domain.ObligationChangeReport+":X1" {
				return it.Due.In(domain.Anchorage).Format("2006-01-02T15:04")
			}
		}
		t.Fatal("no change report duty")
		return ""
	}
	if got := due("2026-03-10T12:00:00"); got != "2026-03-17T00:00" {
		t.Errorf("as of 10 March, before the closure was recorded, X1 is due %s; want the end of 16 March", got)
	}
	if got := due("2026-03-12T12:00:00"); got != "2026-03-18T00:00" {
		t.Errorf("as of 12 March, after the closure was recorded, X1 is due %s; want the end of 17 March", got)
	}
}
