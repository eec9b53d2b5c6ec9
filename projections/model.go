package projections

import (
	"fmt"
	"time"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
)

// modelVersion is the version of the saved model. Change it whenever modelState or what apply
// does changes: the runner then drops older snapshots and rebuilds from the log.
const modelVersion = 12

// modelState is everything a provider's model keeps, as it is saved. Maps are encoded with their
// keys sorted and slices hold events' records in log order, so the same events give the same bytes.
type modelState struct {
	Provider        string                       `json:"provider"`
	Name            string                       `json:"name,omitempty"`
	Region          string                       `json:"region,omitempty"`
	RegisteredAt    time.Time                    `json:"registered_at,omitzero"`
	Chain           chain                        `json:"chain"`
	Counts          map[string]uint64            `json:"counts"`       // events applied, by type
	LateEntries     map[string]int               `json:"late_entries"` // late entries by Alaska month of recording
	Rosters         map[string]map[string]string `json:"rosters"`      // month -> staff id -> role
	Samples         map[string]sample            `json:"samples"`      // month -> latest draw
	Reviews         []review                     `json:"reviews"`
	Findings        []finding                    `json:"findings"`
	WSQRs           []wsqr                       `json:"wsqrs"`
	Confirmation    []confirmationStep           `json:"confirmation"`
	Measures        map[string][]events.Measure  `json:"measures"` // period -> latest posting
	Concerns        map[string]concern           `json:"concerns"`
	Recommendations map[string]recommendation    `json:"recommendations"`
	Texts           []string                     `json:"texts"` // the texts records keep by index (see text)
	Book            *domain.Book                 `json:"-"`     // the provider's obligations, saved beside the records
}

// model is one provider's read model: the records above and the domain.Book of its obligations.
// It is not safe for concurrent use; Views guards it.
type model struct {
	st modelState
	// policy is what the provider is judged by: the settings its history last recorded, or the
	// views' own (domain.Book.Policy).
	policy domain.Policy
	// shared holds one copy of each short text that recurs from event to event (months, staff
	// ids, roles, case ids, categories, dates), so that the book keeps it once.
	shared    map[string]string
	textIndex map[string]text // the index of st.Texts
	// kept keeps the provider's obligations for the reads (see kept).
	kept kept
	// gaps allows events to be missing from the chain: a replay on the occurred clock skips the
	// events that happened after its instant.
	gaps bool
}

func newModel(provider string, p domain.Policy) *model {
	return &model{
		policy: p,
		shared: map[string]string{}, textIndex: map[string]text{"": 0},
		st: modelState{
			Provider:        provider,
			Counts:          map[string]uint64{},
			LateEntries:     map[string]int{},
			Rosters:         map[string]map[string]string{},
			Samples:         map[string]sample{},
			Measures:        map[string][]events.Measure{},
			Concerns:        map[string]concern{},
			Recommendations: map[string]recommendation{},
			Texts:           []string{""},
			Book:            domain.NewBook(provider, p),
		},
	}
}

// apply applies one event of the provider. An event of another provider, or one at or before the
// last sequence applied, is refused: each event is applied once, in order.
func (m *model) apply(e events.Envelope) error {
	switch {
	case e.Provider != m.st.Provider:
		return fmt.Errorf("projections: event at sequence %d belongs to provider %s, not %s", e.Sequence, e.Provider, m.st.Provider)
	case e.Sequence <= m.st.Chain.Sequence:
		return fmt.Errorf("projections: provider %s: event at sequence %d is at or before the last one applied (%d); it would be applied twice", m.st.Provider, e.Sequence, m.st.Chain.Sequence)
	}
	payload, err := events.Decode(e)
	if err != nil {
		return fmt.Errorf("projections: provider %s, sequence %d: %w", m.st.Provider, e.Sequence, err)
	}
	payload = m.share(&e, payload)
	if err := m.st.Book.ApplyDecoded(e, payload); err != nil {
		return fmt.Errorf("projections: provider %s, sequence %d: %w", m.st.Provider, e.Sequence, err)
	}
	m.kept.applied(payload)
	m.record(e, payload)
	m.extendChain(&e)
	m.st.Counts[e.Type]++
	if e.Type == events.TypePolicySettingsRecorded {
		m.policy = m.st.Book.Policy() // the provider's history now says what it is judged by
	}
	if m.policy.EnteredLate(e.OccurredAt, e.RecordedAt) {
		m.st.LateEntries[domain.DateOf(e.RecordedAt).MonthOf().String()]++
	}
	return nil
}

// extendChain checks that e follows the last event applied in the provider's hash chain and moves
// the chain on. The first event that does not is kept as the chain's break; later events are still
// applied, and the views show the break.
func (m *model) extendChain(e *events.Envelope) {
	c := &m.st.Chain
	if c.Break == nil && !m.gaps {
		if kind, msg := chainBreak(c, e); kind != "" {
			c.Break = &events.Tamper{Kind: kind, Provider: e.Provider, Sequence: e.Sequence, EventID: e.ID, Position: e.Position, Message: msg}
		}
	}
	c.Events++
	c.Position, c.Sequence, c.Hash = e.Position, e.Sequence, e.Hash
	if e.RecordedAt.After(c.LastRecorded) {
		c.LastRecorded = e.RecordedAt
	}
	if e.OccurredAt.After(c.LastOccurred) {
		c.LastOccurred = e.OccurredAt
	}
}

func chainBreak(c *chain, e *events.Envelope) (kind, message string) {
	want := c.Position + 1
	switch {
	case !hashMatches(e):
		return events.Modified, "the event's content does not match its hash"
	case e.Position > want:
		return events.Removed, fmt.Sprintf("position %d follows position %d", e.Position, c.Position)
	case e.Position < want:
		return events.Inserted, fmt.Sprintf("position %d is claimed again after position %d", e.Position, c.Position)
	case e.PrevHash != c.Hash:
		return events.Modified, "the event does not chain to the hash of the event before it"
	}
	return "", ""
}
