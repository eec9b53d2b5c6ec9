package domain

import (
	"fmt"
	"time"

	"github.com/wsledger/wsledger/events"
)

// State is what deciding a provider's commands needs to know, built by applying the provider's
// events in log order with Evolve. Decide only reads it.
type State struct {
	provider string
	seq      uint64
	versions map[aggregateKey]uint64

	registeredAt time.Time // zero until ProviderRegistered

	rosters         map[string]*roster   // by month
	caseloads       map[string]*caseload // by month
	samples         map[string]uint64    // month -> sequence of the caseload the sample was drawn from
	reviews         map[string]*reviewRecord
	monthReviews    map[string][]*reviewRecord // by month, in log order
	findings        map[string]*findingRecord
	findingOrder    []string
	wsqrs           map[string]*wsqrRecord
	confirmation    bool               // under monthly performance confirmation, as computed (confirmationOf)
	confirmations   []wstaConfirmation // WSTA's, in log order
	concerns        map[string]*concernRecord
	recommendations map[string]*recommendationRecord
	emergencies     map[string]*clientDuty
	changes         map[string]*clientDuty
	dpaReports      map[string]*dpaReportRecord
	measures        map[string]time.Time // period -> first posting
	reports         map[string]mark      // kind-period -> first submission
	settings        []settingsRecord     // the policy settings recorded, in log order
}

type aggregateKey struct{ kind, id string }

// NewState returns the empty state of a provider.
func NewState(provider string) *State {
	return &State{
		provider:        provider,
		versions:        map[aggregateKey]uint64{},
		rosters:         map[string]*roster{},
		caseloads:       map[string]*caseload{},
		samples:         map[string]uint64{},
		reviews:         map[string]*reviewRecord{},
		monthReviews:    map[string][]*reviewRecord{},
		findings:        map[string]*findingRecord{},
		wsqrs:           map[string]*wsqrRecord{},
		concerns:        map[string]*concernRecord{},
		recommendations: map[string]*recommendationRecord{},
		emergencies:     map[string]*clientDuty{},
		changes:         map[string]*clientDuty{},
		dpaReports:      map[string]*dpaReportRecord{},
		measures:        map[string]time.Time{},
		reports:         map[string]mark{},
	}
}

// Provider returns the provider the state belongs to.
func (s *State) Provider() string { return s.provider }

// Seq returns the stream sequence of the last event applied (0 before any).
func (s *State) Seq() uint64 { return s.seq }

// Version returns the stream sequence of the last event of an aggregate (0 when it has none).
func (s *State) Version(kind, aggregateID string) uint64 {
	return s.versions[aggregateKey{kind, aggregateID}]
}

// Registered reports whether the provider has been registered.
func (s *State) Registered() bool { return !s.registeredAt.IsZero() }

// UnderPerformanceConfirmation reports whether, as computed from the WSQRs so far in the order of
// the periods they review, the provider is under monthly performance confirmation.
func (s *State) UnderPerformanceConfirmation() bool { return s.confirmation }

// settingsRecord is a policy recorded in force from at on.
type settingsRecord struct {
	at     time.Time
	policy Policy
}

// policy returns the policy the provider's history last recorded, or base when it records none.
func (s *State) policy(base Policy) Policy {
	if n := len(s.settings); n > 0 {
		return s.settings[n-1].policy
	}
	return base
}

// policyAt returns the policy in force at t: the last recorded at or before t, or base.
func (s *State) policyAt(base Policy, t time.Time) Policy {
	p := base
	for _, r := range s.settings {
		if !r.at.After(t) {
			p = r.policy
		}
	}
	return p
}

// Evolve applies one event of the provider. Events must come in log order: an event with a
// sequence at or below the last one applied is refused, as is another provider's event.
func (s *State) Evolve(e events.Envelope) error {
	if e.Provider != s.provider {
		return events.Errorf(events.Internal, "", "Event %s belongs to provider %s, not to %s.", e.ID, e.Provider, s.provider)
	}
	if e.Sequence != 0 && e.Sequence <= s.seq {
		return events.Errorf(events.Internal, "", "Event %s has sequence %d, which is not after the last applied sequence %d.", e.ID, e.Sequence, s.seq)
	}
	payload, err := events.Decode(e)
	if err != nil {
		return fmt.Errorf("event %s at sequence %d: %w", e.ID, e.Sequence, err)
	}
	s.apply(e, payload)
	if e.Sequence != 0 {
		s.seq = e.Sequence
		s.versions[aggregateKey{e.AggregateKind, e.Aggregate}] = e.Sequence
	}
	return nil
}
