package domain

import (
	"time"

	"github.com/wsledger/wsledger/events"
)

// Decide applies the rules to a command against the provider's state and returns the events to
// append, or an *events.Error saying why nothing may be appended. In order it checks the
// command's stateless rules, that it is for this state's provider, the actor's role (forbidden),
// occurred_at (defaulting to now, never in the future), that the provider is registered
// (not_found), expected_version (conflict, with Current set) and then the command's own rules.
// Decide does not change s.
//
// p is the policy configured where the ledger runs. The provider's history wins where it records
// settings (PolicySettingsRecorded); a provider registered under settings other than the
// defaults has them recorded with its registration.
func Decide(s *State, cmd Command, now time.Time, p Policy) ([]events.Draft, error) {
	configured := p
	p = s.policy(p)
	spec, ok := specOf(cmd)
	if !ok {
		return nil, events.Errorf(events.Internal, "type", "The command is of an unknown Go type %T.", cmd)
	}
	h := cmd.Header()
	if h.Type != spec.name {
		return nil, invalid("type", "type must be %s for this command.", spec.name)
	}
	if err := Validate(cmd); err != nil {
		return nil, err
	}
	if h.Provider != s.provider {
		return nil, events.Errorf(events.Internal, "provider", "The command is for provider %s but was decided on the state of %s.", h.Provider, s.provider)
	}
	if e := authorize(h.Actor, spec.name); e != nil {
		return nil, e
	}
	at := h.OccurredAt
	if at.IsZero() {
		at = now
	}
	if at.Year() < MinYear {
		return nil, invalid("occurred_at", "occurred_at must be in %d or later.", MinYear)
	}
	if at.After(now.Add(p.ClockSkew)) {
		return nil, invalid("occurred_at", "occurred_at lies in the future; a command records something that has already happened.")
	}
	if !s.Registered() && spec.name != "RegisterProvider" {
		return nil, events.Errorf(events.NotFound, "provider", "Provider %s is not registered; it must be registered before anything else is recorded.", s.provider)
	}
	kind, naturalID := cmd.Target()
	id := p.aggregateID(s, h.Provider, kind, naturalID)
	if e := checkExpectedVersion(h.ExpectedVersion, s.Version(kind, id)); e != nil {
		return nil, e
	}
	payload, err := cmd.decide(&decision{s: s, h: h, at: at, now: now, p: p})
	if err != nil {
		return nil, err
	}
	raw, err := events.EncodePayload(payload)
	if err != nil {
		return nil, events.Errorf(events.Internal, "", "The %s payload could not be encoded: %v.", spec.event, err)
	}
	drafts := []events.Draft{{
		Type:          spec.event,
		Version:       events.CurrentVersion(spec.event),
		AggregateKind: kind,
		AggregateID:   id,
		OccurredAt:    at,
		Payload:       raw,
		Value:         payload,
	}}
	if spec.name == "RegisterProvider" && !sameSettings(configured, DefaultPolicy()) {
		settings := configured.Settings()
		raw, err := events.EncodePayload(settings)
		if err != nil {
			return nil, events.Errorf(events.Internal, "", "The policy settings could not be encoded: %v.", err)
		}
		drafts = append(drafts, events.Draft{
			Type: events.TypePolicySettingsRecorded, Version: events.CurrentVersion(events.TypePolicySettingsRecorded),
			AggregateKind: KindPolicy, AggregateID: AggregateID(h.Provider, KindPolicy, h.Provider),
			OccurredAt: at, Payload: raw, Value: settings,
		})
	}
	return drafts, nil
}

func checkExpectedVersion(expected *uint64, current uint64) *events.Error {
	if expected == nil || *expected == current {
		return nil
	}
	e := events.Errorf(events.Conflict, "expected_version",
		"expected_version is %d but the aggregate is at version %d; it changed since it was read.", *expected, current)
	if *expected == 0 {
		e.Message = "expected_version 0 says the aggregate must not exist yet, but it does."
	}
	e.Current = current
	return e
}

// conflict, notFound: refusals of a command by the state.
func conflict(field, format string, args ...any) error {
	return events.Errorf(events.Conflict, field, format, args...)
}

func notFound(field, format string, args ...any) error {
	return events.Errorf(events.NotFound, field, format, args...)
}

func refuse(field, format string, args ...any) error {
	return events.Errorf(events.Invalid, field, format, args...)
}
