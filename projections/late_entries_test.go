package projections

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/projections/internal/fixture"
)

// TestLateEntryEvidence: a correction entered three weeks after the date it claims is judged on
// that date (met on time) but carries the evidence: recorded_at, entered_late and the lag in
// business days, in the deadline JSON; the late-entries filter lists it alone; the audit trail
// marks the event; the overview counts it in the month it was recorded. An entry the next
// business day is not late; an unmet obligation carries none of these.
func TestLateEntryEvidence(t *testing.T) {
	log, clock := fixture.Open(t)
	l := fixture.NewLedger(log, clock)
	pm := func(typ, fields string) []byte {
		return []byte(`{"type":"` + typ + `","provider":"p1","actor":{"staff_id":"pm1","role":"program_manager"},` + fields + `}`)
	}
	for _, c := range []struct {
		at  string
		cmd []byte
	}{
		{"2025-10-01T09:00:00", []byte(`{"type":"RegisterProvider","provider":"p1","actor":{"staff_id":"ad1","role":"admin"},"name":"P1","region":"r"}`)},
		{"2025-10-06T09:00:00", pm("ReceiveWSQRFindings", `"wsqr_id":"W1","period":"2025-Q3","findings":[{"finding_id":"F1","category":"c","negative":true},{"finding_id":"F2","category":"c","negative":true},{"finding_id":"F3","category":"c","negative":true}],"work_verification":{"correct":9,"reviewed":10}`)},
		// Friday's correction entered on Monday, the next business day: not late.
		{"2025-10-13T08:00:00", pm("CompleteCorrection", `"finding_id":"F1","note":"n","occurred_at":"2025-10-10T15:00:00"`)},
		// Entered three weeks after the day it claims.
		{"2025-11-05T10:00:00", pm("CompleteCorrection", `"finding_id":"F2","note":"n","occurred_at":"2025-10-15T15:00:00"`)},
	} {
		at, _ := fixture.ParseTime(c.at)
		if _, err := l.Submit(t.Context(), at, c.cmd); err != nil {
			t.Fatal(err)
		}
	}
	v := New(log, domain.DefaultPolicy())
	r, err := v.Replay(t.Context(), "p1", alaska(t, "2025-11-20T12:00:00"), events.Recorded)
	if err != nil {
		t.Fatal(err)
	}
	data, err := r.Deadlines().AppendJSON(nil)
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Items []map[string]any `json:"items"`
	}
	if err := json.Unmarshal(data, &d); err != nil {
		t.Fatal(err)
	}
	byID := map[string]map[string]any{}
	for _, it := range d.Items {
		byID[it["id"].(string)] = it
	}
	for id, want := range map[string]map[string]any{
		"correction:F1": {"status": "met_on_time", "met_at": "2025-10-10T23:00:00Z", "recorded_at": "2025-10-13T16:00:00Z", "entered_late": false, "entry_lag_business_days": 1.0},
		"correction:F2": {"status": "met_on_time", "met_at": "2025-10-15T23:00:00Z", "recorded_at": "2025-11-05T19:00:00Z", "entered_late": true, "entry_lag_business_days": 14.0},
		"correction:F3": {"status": "overdue", "met_at": nil, "recorded_at": nil, "entered_late": nil, "entry_lag_business_days": nil},
	} {
		for k, w := range want {
			if got := byID[id][k]; got != w {
				t.Errorf("%s %s = %v, want %v", id, k, got, w)
			}
		}
	}
	page, err := r.DeadlinePage(DeadlineQuery{LateEntries: true})
	if err != nil {
		t.Fatal(err)
	}
	if page.Matched != 1 || len(page.Items) != 1 || page.Items[0].ID != "correction:F2" {
		t.Errorf("late entries: %d matched, %+v; want correction:F2 alone", page.Matched, page.Items)
	}
	a, err := v.Audit(t.Context(), "p1", AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var late []string
	for _, e := range a.Entries {
		if e.EnteredLate {
			late = append(late, e.Type+" "+e.RecordedAt.In(domain.Anchorage).Format("2006-01-02"))
		}
	}
	if strings.Join(late, ";") != "CorrectionCompleted 2025-11-05" {
		t.Errorf("the audit trail marks %v late, want the correction recorded on 5 November", late)
	}
	if o := r.Overview(); o.LateEntries != 1 || o.Coverage.Month != "2025-11" {
		t.Errorf("overview of November counts %d late entries, want 1", o.LateEntries)
	}
}
