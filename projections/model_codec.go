package projections

import (
	"encoding/json"
	"fmt"

	"github.com/wsledger/wsledger/domain"
)

// marshal encodes the model's state. The same events always give the same bytes.
func (m *model) marshal() ([]byte, error) { return json.Marshal(&m.st) }

// unmarshalModel restores a model saved by marshal, its Book under the policy p.
func unmarshalModel(provider string, data []byte, p domain.Policy) (*model, error) {
	m := newModel(provider, p)
	if err := json.Unmarshal(data, &m.st); err != nil {
		return nil, fmt.Errorf("projections: saved state of provider %s: %w", provider, err)
	}
	if m.st.Provider != provider {
		return nil, fmt.Errorf("projections: saved state names provider %q, not %q", m.st.Provider, provider)
	}
	if m.st.Book == nil {
		return nil, fmt.Errorf("projections: saved state of provider %s has no book", provider)
	}
	return m, nil
}
