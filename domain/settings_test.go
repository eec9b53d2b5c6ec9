package domain_test

import (
	"encoding/json"
	"testing"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
)

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

// TestRecordedSettingsMeetTheRules: RecordPolicySettings is held to the rules of a settings
// file, its refusals naming the setting under settings.
func TestRecordedSettingsMeetTheRules(t *testing.T) {
	for _, tt := range []struct {
		change func(*events.PolicySettingsRecorded)
		field  string
	}{
		{func(s *events.PolicySettingsRecorded) { s.GrievanceBusinessDays = 0 }, "settings.grievance_business_days"},
		{func(s *events.PolicySettingsRecorded) { s.ClockSkew = "2 hours" }, "settings.clock_skew"},
		{func(s *events.PolicySettingsRecorded) {
			s.StatewideFamilyMix = []events.FamilyShare{{FamilyType: "single", Cases: 1}}
		}, "settings.statewide_family_mix[0].family_type"},
		{func(s *events.PolicySettingsRecorded) { s.Closures = []events.Closure{{Date: "2026-02-30", Name: "x"}} }, "settings.closures[0].date"},
		{func(s *events.PolicySettingsRecorded) { s.Closures = []events.Closure{{Date: "2026-12-24"}} }, "settings.closures[0].name"},
	} {
		settings := domain.DefaultPolicy().Settings()
		tt.change(&settings)
		_, err := fixture(t).try(admin("RecordPolicySettings", `"settings":`+string(mustJSON(t, settings))))
		wantRefusal(t, err, events.Invalid, tt.field)
	}
}
