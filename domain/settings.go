package domain

import (
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/wsledger/wsledger/events"
)

// Settings returns the policy's settings in the form a settings file and the
// PolicySettingsRecorded event have: closures by date.
func (p Policy) Settings() events.PolicySettingsRecorded {
	s := events.PolicySettingsRecorded{
		WSTANoticeBusinessDays: p.WSTANoticeBusinessDays, ForwardConcernBusinessDays: p.ForwardConcernBusinessDays,
		ChangeReportBusinessDays: p.ChangeReportBusinessDays, GrievanceBusinessDays: p.GrievanceBusinessDays,
		WSQRDefaultResponseBusinessDays: p.WSQRDefaultResponseBusinessDays, DueSoonBusinessDays: p.DueSoonBusinessDays,
		LateEntryBusinessDays: p.LateEntryBusinessDays, ClockSkew: p.ClockSkew.String(),
		StatewideFamilyMix: nonNil(slices.Clone(p.StatewideFamilyMix)), Closures: []events.Closure{},
	}
	for d, name := range p.Calendar.closures {
		s.Closures = append(s.Closures, events.Closure{Date: d.String(), Name: name})
	}
	slices.SortFunc(s.Closures, func(a, b events.Closure) int { return strings.Compare(a.Date, b.Date) })
	return s
}

// sameSettings reports whether two policies have the same settings.
func sameSettings(a, b Policy) bool { return equalSettings(a.Settings(), b.Settings()) }

// equalSettings reports whether two records of settings hold the same values.
func equalSettings(x, y events.PolicySettingsRecorded) bool {
	return slices.Equal(x.StatewideFamilyMix, y.StatewideFamilyMix) && slices.Equal(x.Closures, y.Closures) &&
		x.WSTANoticeBusinessDays == y.WSTANoticeBusinessDays && x.ForwardConcernBusinessDays == y.ForwardConcernBusinessDays &&
		x.ChangeReportBusinessDays == y.ChangeReportBusinessDays && x.GrievanceBusinessDays == y.GrievanceBusinessDays &&
		x.WSQRDefaultResponseBusinessDays == y.WSQRDefaultResponseBusinessDays && x.DueSoonBusinessDays == y.DueSoonBusinessDays &&
		x.LateEntryBusinessDays == y.LateEntryBusinessDays && x.ClockSkew == y.ClockSkew
}

// PolicyOf is the policy of recorded settings. They were checked when recorded; a value that does
// not read (which Decide never records) keeps the default.
func PolicyOf(s events.PolicySettingsRecorded) Policy {
	p := DefaultPolicy()
	p.WSTANoticeBusinessDays, p.ForwardConcernBusinessDays = s.WSTANoticeBusinessDays, s.ForwardConcernBusinessDays
	p.ChangeReportBusinessDays, p.GrievanceBusinessDays = s.ChangeReportBusinessDays, s.GrievanceBusinessDays
	p.WSQRDefaultResponseBusinessDays, p.DueSoonBusinessDays = s.WSQRDefaultResponseBusinessDays, s.DueSoonBusinessDays
	p.LateEntryBusinessDays, p.StatewideFamilyMix = s.LateEntryBusinessDays, s.StatewideFamilyMix
	if d, err := time.ParseDuration(s.ClockSkew); err == nil {
		p.ClockSkew = d
	}
	closures := map[Date]string{}
	for _, c := range s.Closures {
		if d, err := ParseDate(c.Date); err == nil {
			closures[d] = c.Name
		}
	}
	p.Calendar = NewCalendar(closures)
	return p
}

// A SettingValue is the value a settings file gives one setting, before its rule reads it.
// Package wire gives the values of a JSON settings file; a RecordPolicySettings command gives
// the values it carries.
type SettingValue interface {
	// Read reads the value into dst (an *int, *string, *[]events.FamilyShare or *events.Closure)
	// and reports whether it has that form. A null leaves dst as it is; an object with a member
	// dst has no field for does not have the form.
	Read(dst any) bool
	// Items returns the values of a list, and whether the value is a list (a null is an empty one).
	Items() ([]SettingValue, bool)
}

// setting is one key of a settings file: its reading into a Policy, with its bounds.
type setting struct {
	key  string
	read func(v SettingValue, p *Policy) *events.Error
}

// businessDays reads a whole number of business days from lo to hi into the field.
func businessDays(key string, lo, hi int, field func(*Policy) *int) setting {
	return setting{key, func(v SettingValue, p *Policy) *events.Error {
		var n int
		if !v.Read(&n) || n < lo || n > hi {
			return invalid(key, "%s must be a whole number of business days from %d to %d.", key, lo, hi)
		}
		*field(p) = n
		return nil
	}}
}

// settings are the keys of a settings file: every setting of docs/policy.md, by its name in
// snake_case, and the proclaimed closures.
var settings = []setting{
	businessDays("wsta_notice_business_days", 0, 60, func(p *Policy) *int { return &p.WSTANoticeBusinessDays }),
	businessDays("forward_concern_business_days", 0, 60, func(p *Policy) *int { return &p.ForwardConcernBusinessDays }),
	businessDays("change_report_business_days", 0, 60, func(p *Policy) *int { return &p.ChangeReportBusinessDays }),
	businessDays("grievance_business_days", 1, 120, func(p *Policy) *int { return &p.GrievanceBusinessDays }),
	businessDays("wsqr_default_response_business_days", 1, 120, func(p *Policy) *int { return &p.WSQRDefaultResponseBusinessDays }),
	businessDays("due_soon_business_days", 0, 30, func(p *Policy) *int { return &p.DueSoonBusinessDays }),
	businessDays("late_entry_business_days", 0, 30, func(p *Policy) *int { return &p.LateEntryBusinessDays }),
	{"clock_skew", readClockSkew},
	{"statewide_family_mix", readFamilyMix},
	{"closures", readClosures},
}

func readClockSkew(v SettingValue, p *Policy) *events.Error {
	var s string
	d, err := time.Duration(-1), error(nil) // refused unless the value is text
	if v.Read(&s) {
		d, err = time.ParseDuration(s)
	}
	if err != nil || d < 0 || d > time.Hour {
		return invalid("clock_skew", "clock_skew must be a duration from 0s to 1h, written like 5m.")
	}
	p.ClockSkew = d
	return nil
}

func readFamilyMix(v SettingValue, p *Policy) *events.Error {
	var mix []events.FamilyShare
	if !v.Read(&mix) {
		return invalid("statewide_family_mix", `statewide_family_mix must be a list of {"family_type": ..., "cases": ...}.`)
	}
	if e := checkFamilyMix("statewide_family_mix", mix); e != nil {
		return e
	}
	p.StatewideFamilyMix = mix
	return nil
}

// readClosures reads the proclaimed closures: each a date YYYY-MM-DD, or {"date": ..., "name": ...}.
func readClosures(v SettingValue, p *Policy) *events.Error {
	items, ok := v.Items()
	if !ok {
		return invalid("closures", "closures must be a list of dates (YYYY-MM-DD) or of {\"date\": ..., \"name\": ...}.")
	}
	closures := map[Date]string{}
	for i, item := range items {
		c := events.Closure{Name: "Proclaimed closure"}
		if !item.Read(&c.Date) && !item.Read(&c) {
			return invalid(at("closures", i, ""), "closures[%d] must be a date YYYY-MM-DD or {\"date\": ..., \"name\": ...}.", i)
		}
		date, err := ParseDate(c.Date)
		switch {
		case err != nil:
			return invalid(at("closures", i, "date"), "closures[%d] is not a real calendar day written YYYY-MM-DD.", i)
		case strings.TrimSpace(c.Name) == "" || len(c.Name) > maxShortText:
			return invalid(at("closures", i, "name"), "closures[%d]'s name must be 1 to %d characters.", i, maxShortText)
		}
		if _, dup := closures[date]; dup {
			return invalid(at("closures", i, "date"), "closures lists %s twice.", date)
		}
		closures[date] = c.Name
	}
	p.Calendar = NewCalendar(closures)
	return nil
}

// ReadSettings returns the policy a settings file (serve --policy) sets: the defaults, with each
// setting the file gives, keyed by its name in docs/policy.md in snake_case. An unknown key, a
// value of the wrong kind or out of bounds is an *events.Error naming the key.
func ReadSettings(values map[string]SettingValue) (Policy, error) {
	p := DefaultPolicy()
	for key := range values {
		if !slices.ContainsFunc(settings, func(s setting) bool { return s.key == key }) {
			return Policy{}, invalid(key, "%s is not a setting; the settings are %s.", key, settingKeys())
		}
	}
	for _, s := range settings {
		if v, ok := values[s.key]; ok {
			if e := s.read(v, &p); e != nil {
				return Policy{}, e
			}
		}
	}
	return p, nil
}

func settingKeys() string {
	keys := make([]string, len(settings))
	for i, s := range settings {
		keys[i] = s.key
	}
	return strings.Join(keys, ", ")
}

// recordedValues returns the values a record of settings gives each setting, keyed as in a
// settings file, so that a recorded setting is held to the rules a file's is.
func recordedValues(s events.PolicySettingsRecorded) map[string]SettingValue {
	return map[string]SettingValue{
		"wsta_notice_business_days":           recorded{s.WSTANoticeBusinessDays},
		"forward_concern_business_days":       recorded{s.ForwardConcernBusinessDays},
		"change_report_business_days":         recorded{s.ChangeReportBusinessDays},
		"grievance_business_days":             recorded{s.GrievanceBusinessDays},
		"wsqr_default_response_business_days": recorded{s.WSQRDefaultResponseBusinessDays},
		"due_soon_business_days":              recorded{s.DueSoonBusinessDays},
		"late_entry_business_days":            recorded{s.LateEntryBusinessDays},
		"clock_skew":                          recorded{s.ClockSkew},
		"statewide_family_mix":                recorded{s.StatewideFamilyMix},
		"closures":                            recorded{s.Closures},
	}
}

// recorded is a setting's value as a record of settings holds it.
type recorded struct{ v any }

func (r recorded) Read(dst any) bool {
	switch d := dst.(type) {
	case *int:
		return read(r.v, d)
	case *string:
		return read(r.v, d)
	case *[]events.FamilyShare:
		return read(r.v, d)
	case *events.Closure:
		return read(r.v, d)
	}
	return false
}

func read[T any](v any, dst *T) bool {
	x, ok := v.(T)
	if ok {
		*dst = x
	}
	return ok
}

func (r recorded) Items() ([]SettingValue, bool) {
	closures, ok := r.v.([]events.Closure)
	items := make([]SettingValue, len(closures))
	for i, c := range closures {
		items[i] = recorded{c}
	}
	return items, ok
}

// RecordPolicySettings records the policy settings in force from its occurred_at on in the
// provider's history (events.PolicySettingsRecorded). wsledger serve records its --policy
// settings this way in every provider whose history does not already have them; only an admin
// may.
type RecordPolicySettings struct {
	header
	Settings events.PolicySettingsRecorded `json:"settings"`
}

func (c *RecordPolicySettings) Target() (string, string) { return KindPolicy, c.Provider }

func (c *RecordPolicySettings) validate() error {
	if _, err := ReadSettings(recordedValues(c.Settings)); err != nil {
		var e *events.Error
		if errors.As(err, &e) {
			e.Field = "settings." + e.Field
			return e
		}
		return err
	}
	return nil
}

func (c *RecordPolicySettings) decide(d *decision) (any, error) {
	p := PolicyOf(c.Settings)
	if sameSettings(p, d.s.policy(DefaultPolicy())) {
		return nil, conflict("settings", "These settings are already in force for provider %s.", c.Provider)
	}
	return p.Settings(), nil
}
