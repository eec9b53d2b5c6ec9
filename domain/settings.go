package domain

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
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

// setting is one key of a settings file: its reading into a Policy, with its bounds.
type setting struct {
	key  string
	read func(raw json.RawMessage, p *Policy) *events.Error
}

// businessDays reads a whole number of business days from lo to hi into the field.
func businessDays(key string, lo, hi int, field func(*Policy) *int) setting {
	return setting{key, func(raw json.RawMessage, p *Policy) *events.Error {
		var n int
		if json.Unmarshal(raw, &n) != nil || n < lo || n > hi {
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

func readClockSkew(raw json.RawMessage, p *Policy) *events.Error {
	var s string
	d, err := time.Duration(0), json.Unmarshal(raw, &s)
	if err == nil {
		d, err = time.ParseDuration(s)
	}
	if err != nil || d < 0 || d > time.Hour {
		return invalid("clock_skew", "clock_skew must be a duration from 0s to 1h, written like 5m.")
	}
	p.ClockSkew = d
	return nil
}

func readFamilyMix(raw json.RawMessage, p *Policy) *events.Error {
	var mix []events.FamilyShare
	d := json.NewDecoder(bytes.NewReader(raw))
	d.DisallowUnknownFields()
	if d.Decode(&mix) != nil {
		return invalid("statewide_family_mix", `statewide_family_mix must be a list of {"family_type": ..., "cases": ...}.`)
	}
	if e := checkFamilyMix("statewide_family_mix", mix); e != nil {
		return e
	}
	p.StatewideFamilyMix = mix
	return nil
}

// readClosures reads the proclaimed closures: each a date YYYY-MM-DD, or {"date": ..., "name": ...}.
func readClosures(raw json.RawMessage, p *Policy) *events.Error {
	var items []json.RawMessage
	if json.Unmarshal(raw, &items) != nil {
		return invalid("closures", "closures must be a list of dates (YYYY-MM-DD) or of {\"date\": ..., \"name\": ...}.")
	}
	closures := map[Date]string{}
	for i, item := range items {
		c := events.Closure{Name: "Proclaimed closure"}
		if json.Unmarshal(item, &c.Date) != nil {
			d := json.NewDecoder(bytes.NewReader(item))
			d.DisallowUnknownFields()
			if d.Decode(&c) != nil {
				return invalid(at("closures", i, ""), "closures[%d] must be a date YYYY-MM-DD or {\"date\": ..., \"name\": ...}.", i)
			}
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

// ReadSettings reads a settings file (serve --policy): a JSON object whose keys are settings of
// docs/policy.md in snake_case; a key left out keeps its default. An unknown key, a value of the
// wrong kind or out of bounds is an *events.Error naming the key.
func ReadSettings(data []byte) (Policy, error) {
	var obj map[string]json.RawMessage
	d := json.NewDecoder(bytes.NewReader(data))
	if err := d.Decode(&obj); err != nil || obj == nil {
		return Policy{}, invalid("", "The settings must be one JSON object whose keys are settings of docs/policy.md.")
	}
	if _, err := d.Token(); !errors.Is(err, io.EOF) {
		return Policy{}, invalid("", "The settings file holds more than one JSON object.")
	}
	p := DefaultPolicy()
	for key := range obj {
		if !slices.ContainsFunc(settings, func(s setting) bool { return s.key == key }) {
			return Policy{}, invalid(key, "%s is not a setting; the settings are %s.", key, settingKeys())
		}
	}
	for _, s := range settings {
		if raw, ok := obj[s.key]; ok {
			if e := s.read(raw, &p); e != nil {
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
	raw, err := json.Marshal(c.Settings)
	if err != nil {
		return invalid("settings", "The settings do not encode: %v.", err)
	}
	if _, err := ReadSettings(raw); err != nil {
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
