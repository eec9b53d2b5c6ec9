package projections

import (
	"encoding/json"
	"fmt"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
)

// marshal encodes the model's state. The same events always give the same bytes.
func (m *model) marshal() ([]byte, error) { return json.Marshal(&m.st) }

// unmarshalModel restores a model saved by marshal: the records as saved, and a new Book built
// from the saved events.
func unmarshalModel(provider string, data []byte, p domain.Policy) (*model, error) {
	m := newModel(provider, p)
	if err := json.Unmarshal(data, &m.st); err != nil {
		return nil, fmt.Errorf("projections: saved state of provider %s: %w", provider, err)
	}
	if m.st.Provider != provider {
		return nil, fmt.Errorf("projections: saved state names provider %q, not %q", m.st.Provider, provider)
	}
	for _, b := range m.st.Book {
		e := events.Envelope{
			Type: b.Type, Version: b.Version, Provider: provider, AggregateKind: b.Kind, Aggregate: b.Aggregate,
			OccurredAt: b.OccurredAt, RecordedAt: b.RecordedAt, Actor: b.Actor, Payload: b.Payload, Sequence: b.Sequence,
		}
		if err := m.book.Apply(e); err != nil {
			return nil, fmt.Errorf("projections: saved state of provider %s, sequence %d: %w", provider, b.Sequence, err)
		}
	}
	return m, nil
}
