package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"

	"github.com/wsledger/wsledger/domain"
)

// ReadSettings reads a settings file (serve --policy): one JSON object whose keys are settings
// of docs/policy.md in snake_case, each read by its rule (domain.ReadSettings); a key left out
// keeps its default.
func ReadSettings(data []byte) (domain.Policy, error) {
	var obj map[string]json.RawMessage
	d := json.NewDecoder(bytes.NewReader(data))
	if err := d.Decode(&obj); err != nil || obj == nil {
		return domain.Policy{}, invalid("", "The settings must be one JSON object whose keys are settings of docs/policy.md.")
	}
	if _, err := d.Token(); !errors.Is(err, io.EOF) {
		return domain.Policy{}, invalid("", "The settings file holds more than one JSON object.")
	}
	values := make(map[string]domain.SettingValue, len(obj))
	for key, raw := range obj {
		values[key] = settingValue(raw)
	}
	return domain.ReadSettings(values)
}

// settingValue is a setting's value as JSON text.
type settingValue json.RawMessage

// Read decodes the value into dst, refusing members dst has no field for.
func (v settingValue) Read(dst any) bool {
	d := json.NewDecoder(bytes.NewReader(v))
	d.DisallowUnknownFields()
	return d.Decode(dst) == nil
}

func (v settingValue) Items() ([]domain.SettingValue, bool) {
	var raw []json.RawMessage
	if json.Unmarshal(v, &raw) != nil {
		return nil, false
	}
	items := make([]domain.SettingValue, len(raw))
	for i, r := range raw {
		items[i] = settingValue(r)
	}
	return items, true
}
