package domain

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/wsledger/wsledger/domain/internal/commandtest"
	"github.com/wsledger/wsledger/events"
)

// TestEveryIDOmitsTheClientNumber holds the rule that no id carries the client number to every
// string field named *_id of every command with a client_number, so that a field added later
// cannot slip past it.
func TestEveryIDOmitsTheClientNumber(t *testing.T) {
	for _, spec := range commandSpecs {
		valid := func() (Command, reflect.Value) {
			c := spec.new()
			if err := json.Unmarshal([]byte(commandtest.Valid()[spec.name]), c); err != nil {
				t.Fatal(err)
			}
			v := reflect.ValueOf(c).Elem()
			if f := jsonField(v, "client_number"); f.IsValid() {
				f.SetString(commandtest.ClientNumber)
			}
			return c, v
		}
		c, v := valid()
		if !jsonField(v, "client_number").IsValid() {
			continue
		}
		if err := Validate(c); err != nil {
			t.Fatalf("%s: the valid sample is refused: %v", spec.name, err)
		}
		for i := range v.NumField() {
			name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
			if !strings.HasSuffix(name, "_id") || v.Field(i).Kind() != reflect.String {
				continue
			}
			c, v := valid()
			v.Field(i).SetString("Q-" + commandtest.ClientNumber)
			var e *events.Error
			if err := Validate(c); !errors.As(err, &e) || e.Field != name || !strings.Contains(e.Message, "contains the client number") {
				t.Errorf("%s with the client number in %s: %v; want it refused naming %s", spec.name, name, err, name)
			}
		}
	}
}

// jsonField returns the field of a struct whose JSON name is name, or the zero Value.
func jsonField(v reflect.Value, name string) reflect.Value {
	for i := range v.NumField() {
		if n, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ","); n == name {
			return v.Field(i)
		}
	}
	return reflect.Value{}
}

// TestEqualSettingsComparesEverySetting changes each setting in turn and expects equalSettings
// to notice, as comparing the settings' JSON does.
func TestEqualSettingsComparesEverySetting(t *testing.T) {
	base := DefaultPolicy().Settings()
	fields := reflect.TypeFor[events.PolicySettingsRecorded]()
	for i := range fields.NumField() {
		changed := DefaultPolicy().Settings()
		f := reflect.ValueOf(&changed).Elem().Field(i)
		switch f.Kind() {
		case reflect.Int:
			f.SetInt(f.Int() + 1)
		case reflect.String:
			f.SetString(f.String() + "1")
		case reflect.Slice:
			f.Set(reflect.Append(f, reflect.New(f.Type().Elem()).Elem()))
		default:
			t.Fatalf("setting %s has a kind this test does not change", fields.Field(i).Name)
		}
		x, _ := json.Marshal(base)
		y, _ := json.Marshal(changed)
		if string(x) == string(y) || equalSettings(base, changed) {
			t.Errorf("equalSettings misses a change of %s", fields.Field(i).Name)
		}
	}
	if !equalSettings(base, DefaultPolicy().Settings()) {
		t.Error("equalSettings finds the default settings unequal to themselves")
	}
}

// TestRecordedSettingsAreReadByEveryRule checks that a record of settings gives every setting a
// value under its own key, so that RecordPolicySettings is held to each rule a settings file is.
func TestRecordedSettingsAreReadByEveryRule(t *testing.T) {
	values := recordedValues(DefaultPolicy().Settings())
	fields := reflect.TypeFor[events.PolicySettingsRecorded]()
	if len(values) != len(settings) || len(settings) != fields.NumField() {
		t.Fatalf("%d recorded values, %d settings, %d fields of PolicySettingsRecorded", len(values), len(settings), fields.NumField())
	}
	for i, s := range settings {
		if name, _, _ := strings.Cut(fields.Field(i).Tag.Get("json"), ","); name != s.key {
			t.Errorf("setting %d is %s; PolicySettingsRecorded's field %d is %s", i, s.key, i, name)
		}
		if _, ok := values[s.key]; !ok {
			t.Errorf("a record of settings gives no value for %s", s.key)
		}
	}
	if _, err := ReadSettings(values); err != nil {
		t.Errorf("the default settings, as recorded, are refused: %v", err)
	}
}
