package projections

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/domain/wire"
)

// savedModel is a model's saved form: its records, and its book as wire.EncodeBook writes it.
type savedModel struct {
	*modelState
	Book json.RawMessage `json:"book"`
}

// marshal encodes the model's state. The same events always give the same bytes. The book's form
// is spliced in as wire.EncodeBook wrote it, which encoding/json would scan and copy again.
func (m *model) marshal() ([]byte, error) {
	book, err := wire.EncodeBook(m.st.Book)
	if err != nil {
		return nil, err
	}
	data, err := json.Marshal(savedModel{modelState: &m.st})
	if err != nil {
		return nil, err
	}
	data = bytes.TrimSuffix(data, []byte("null}")) // Book is the last field
	return slices.Concat(data, book, []byte("}")), nil
}

// unmarshalModel restores a model saved by marshal, its Book under the policy p.
func unmarshalModel(provider string, data []byte, p domain.Policy) (*model, error) {
	m := newModel(provider, p)
	saved := savedModel{modelState: &m.st}
	if err := json.Unmarshal(data, &saved); err != nil {
		return nil, fmt.Errorf("projections: saved state of provider %s: %w", provider, err)
	}
	if m.st.Provider != provider {
		return nil, fmt.Errorf("projections: saved state names provider %q, not %q", m.st.Provider, provider)
	}
	if err := wire.DecodeBook(m.st.Book, saved.Book); err != nil {
		return nil, fmt.Errorf("projections: saved book of provider %s: %w", provider, err)
	}
	if len(m.st.Texts) == 0 || m.st.Texts[0] != "" {
		return nil, fmt.Errorf("projections: saved state of provider %s has no texts", provider)
	}
	m.policy = m.st.Book.Policy()
	m.indexTexts()
	m.shareRecords()
	return m, nil
}
