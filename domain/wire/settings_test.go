package wire_test

import (
	"testing"
	"time"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/domain/internal/commandtest"
	"github.com/wsledger/wsledger/domain/wire"
	"github.com/wsledger/wsledger/events"
)

// TestReadSettings: a settings file names settings of docs/policy.md in snake_case; a key left
// out keeps its default; closures are dates or {date, name}; anything else is refused naming the
// key.
func TestReadSettings(t *testing.T) {
	p, err := wire.ReadSettings([]byte(`{"wsta_notice_business_days":3,"clock_skew":"2m","late_entry_business_days":2,
		"statewide_family_mix":[{"family_type":"all_family","cases":88},{"family_type":"two_parent","cases":12}],
		"closures":["2026-12-24",{"date":"2026-12-31","name":"New Year's Eve (proclaimed)"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if p.WSTANoticeBusinessDays != 3 || p.ClockSkew != 2*time.Minute || p.LateEntryBusinessDays != 2 || len(p.StatewideFamilyMix) != 2 ||
		p.ChangeReportBusinessDays != domain.DefaultPolicy().ChangeReportBusinessDays {
		t.Errorf("settings %+v", p)
	}
	for _, d := range []domain.Date{{Year: 2026, Month: time.December, Day: 24}, {Year: 2026, Month: time.December, Day: 31}} {
		if p.Calendar.IsBusinessDay(d) {
			t.Errorf("%s is a proclaimed closure, not a business day", d)
		}
	}
	if h, _ := p.Calendar.HolidayOn(domain.Date{Year: 2026, Month: time.December, Day: 31}); h.Name != "New Year's Eve (proclaimed)" {
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
		_, err := wire.ReadSettings([]byte(tt.file))
		commandtest.WantRefusal(t, err, events.Invalid, tt.field, tt.fragment)
	}
}
