package domain_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
)

// TestReadSettings: a settings file names settings of docs/policy.md in snake_case; a key left
// out keeps its default; closures are dates or {date, name}; anything else is refused naming the
// key.
func TestReadSettings(t *testing.T) {
	p, err := domain.ReadSettings([]byte(`{"wsta_notice_business_days":3,"clock_skew":"2m","late_entry_business_days":2,
		"statewide_family_mix":[{"family_type":"all_family","cases":88},{"family_type":"two_parent","cases":12}],
		"closures":["2026-12-24",{"date":"2026-12-31","name":"New Year's Eve (proclaimed)"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if p.WSTANoticeBusinessDays != 3 || p.ClockSkew != 2*time.Minute || p.LateEntryBusinessDays != 2 || len(p.StatewideFamilyMix) != 2 ||
		p.ChangeReportBusinessDays != domain.DefaultPolicy().ChangeReportBusinessDays {
		t.Errorf("settings %+v", p)
	}
	for _, d := range []domain.Date{{2026, time.December, 24}, {2026, time.December, 31}} {
		if p.Calendar.IsBusinessDay(d) {
			t.Errorf("%s is a proclaimed closure, not a business day", d)
		}
	}
	if h, _ := p.Calendar.HolidayOn(domain.Date{2026, time.December, 31}); h.Name != "New Year's Eve (proclaimed)" {
		t.Errorf("closure named %q", h.Name)
	}
	for _, tt := range []struct{ file, field, fragment string }{
		{`{"wsta_notice_days":3}`, "wsta_notice_days", "not a setting"},
		{`{"wsta_notice_business_days":"3"}`, "wsta_notice_business_days", "whole number of business days from 0 to 60"},
		{`{"due_soon_business_days":-1}`, "due_soon_business_days", "from 0 to 30"},
		{`{"grievance_business_days":0}`, "grievance_business_days", "from 1 to 120"},
		{`{"clock_skew":"2 hours"}`, "clock_skew", "duration"},
		{`{"closures":["2026-02-30"]}`, "closures[0].date", "real calendar day"},
		{`{"closures":["2026-12-24","2026-12-24"]}`, "closures[1].date", "twice"},
		{`{"closures":[{"date":"2026-12-24","name":""}]}`, "closures[0].name", "1 to"},
		{`{"closures":"2026-12-24"}`, "closures", "list"},
		{`{"statewide_family_mix":[{"family_type":"single","cases":1}]}`, "statewide_family_mix[0].family_type", ""},
		{`[1]`, "", "one JSON object"},
		{`{} {}`, "", "more than one"},
	} {
		_, err := domain.ReadSettings([]byte(tt.file))
		wantRefusal(t, err, events.Invalid, tt.field, tt.fragment)
	}
}

// TestSettingsInTheHistory: settings recorded in a provider's history govern it from when they were
// recorded: a duty opened before keeps the business days it had, one opened after gets the new
// ones, a proclaimed closure moves every deadline running across it, and Decide reads them too.
// Recording the settings already in force is refused; a provider registered under other settings
// than the defaults has them recorded with its registration.
func TestSettingsInTheHistory(t *testing.T) {
	l := fixture(t)
	l.do(cm("LearnCircumstanceChange", `"change_id":"X1","client_number":"12345678","description":"d","occurred_at":"2026-03-09T10:00:00"`))
	settings := domain.DefaultPolicy().Settings()
	settings.ChangeReportBusinessDays = 8
	settings.WSQRDefaultResponseBusinessDays = 3
	settings.Closures = []events.Closure{{Date: "2026-03-18", Name: "Proclaimed closure"}}
	body := `"settings":` + string(mustJSON(t, settings))
	l.do(admin("RecordPolicySettings", body+`,"occurred_at":"2026-03-10T08:00:00"`))
	_, err := l.try(admin("RecordPolicySettings", body))
	wantRefusal(t, err, events.Conflict, "settings", "already in force")
	_, err = l.try(pm("RecordPolicySettings", body))
	wantRefusal(t, err, events.Forbidden, "actor.role")
	l.do(cm("LearnCircumstanceChange", `"change_id":"X2","client_number":"12345678","description":"d","occurred_at":"2026-03-10T10:00:00"`))
	obs := bookOf(t, l).Obligations(fixtureNow)
	x1, _ := findObligation(obs, domain.ObligationChangeReport+":X1")
	x2, _ := findObligation(obs, domain.ObligationChangeReport+":X2")
	// X1 (Monday 9 March, the default 5 business days): 10, 11, 12, 13 and 16 March.
	if want := mustTime("2026-03-17T00:00:00"); !x1.Due.Equal(want) {
		t.Errorf("X1, opened before the change, is due %v, want %v (5 business days)", x1.Due, want)
	}
	// X2 (Tuesday 10 March, 8 business days): 11, 12, 13, 16, 17, 19 (the 18th closed), 20, 23.
	if want := mustTime("2026-03-24T00:00:00"); !x2.Due.Equal(want) {
		t.Errorf("X2, opened after the change, is due %v, want %v (8 business days, the 18th closed)", x2.Due, want)
	}
	wsqr := l.do(pm("ReceiveWSQRFindings", `"wsqr_id":"W1","period":"2026-Q1","findings":[],"work_verification":{"correct":9,"reviewed":10}`))
	if p, _ := events.Decode(wsqr[0]); p.(events.WSQRFindingsReceived).ResponseDue != "2026-03-25" {
		t.Errorf("WSQR response defaulted to %s, want 3 business days after 20 March: 25 March", p.(events.WSQRFindingsReceived).ResponseDue)
	}

	configured := domain.PolicyOf(settings)
	r := newTestLedger(t, fixtureNow)
	r.policy = configured
	got := r.do(admin("RegisterProvider", `"name":"N","region":"r","occurred_at":"2026-01-05T09:00:00"`))
	if len(got) != 2 || got[1].Type != events.TypePolicySettingsRecorded {
		t.Fatalf("registration under other settings appended %d events", len(got))
	}
	if !domain.SameSettings(r.state.PolicyOver(domain.DefaultPolicy()), configured) {
		t.Error("the registration did not record the settings it was made under")
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
