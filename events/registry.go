package events

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// Upcaster turns a payload of one schema version into the next version's payload.
type Upcaster func(json.RawMessage) (json.RawMessage, error)

// EventType describes one event type: its name, current schema version, the upcasters from each
// older version (Upcasters[i] turns version i+1 into version i+2) and how to decode the current
// version.
type EventType struct {
	Name      string
	Version   int
	Upcasters []Upcaster
	decode    func(json.RawMessage) (any, error)
}

// Register describes the event type name whose current payload is T at the given version, with
// one upcaster per older version, oldest first.
func Register[T any](name string, version int, upcasters ...Upcaster) EventType {
	plan := payloadPlanOf(reflect.TypeFor[T]())
	return EventType{
		Name:      name,
		Version:   version,
		Upcasters: upcasters,
		decode: func(raw json.RawMessage) (any, error) {
			var v T
			if !plan.decode(raw, reflect.ValueOf(&v).Elem()) {
				var zero T
				v = zero
				if err := decodeStrict(raw, &v); err != nil {
					return nil, err
				}
			}
			if c, ok := any(&v).(interface{ check() error }); ok {
				if err := c.check(); err != nil {
					return nil, err
				}
			}
			return v, nil
		},
	}
}

// Registry maps event type names to their schema versions, upcasters and payload types.
type Registry struct {
	types map[string]EventType
}

// NewRegistry returns a registry of the given types. Each type needs a unique name, a version of
// at least 1, and exactly one upcaster per older version.
func NewRegistry(types ...EventType) (*Registry, error) {
	r := &Registry{types: make(map[string]EventType, len(types))}
	for _, t := range types {
		switch {
		case t.Name == "":
			return nil, errors.New("event type without a name")
		case t.Version < 1:
			return nil, fmt.Errorf("event type %s has version %d; versions start at 1", t.Name, t.Version)
		case len(t.Upcasters) != t.Version-1:
			return nil, fmt.Errorf("event type %s is at version %d and needs %d upcasters, not %d",
				t.Name, t.Version, t.Version-1, len(t.Upcasters))
		case t.decode == nil:
			return nil, fmt.Errorf("event type %s was not built with Register", t.Name)
		}
		if _, dup := r.types[t.Name]; dup {
			return nil, fmt.Errorf("event type %s is registered twice", t.Name)
		}
		r.types[t.Name] = t
	}
	return r, nil
}

func mustRegistry(types ...EventType) *Registry {
	r, err := NewRegistry(types...)
	if err != nil {
		panic(err)
	}
	return r
}

// Current returns the current schema version of an event type, or 0 when it is unknown.
func (r *Registry) Current(eventType string) int { return r.types[eventType].Version }

// Types returns the registered event type names, sorted.
func (r *Registry) Types() []string {
	names := make([]string, 0, len(r.types))
	for n := range r.types {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Upcast brings a payload of the given type and version up to the current version.
func (r *Registry) Upcast(eventType string, version int, payload json.RawMessage) (json.RawMessage, error) {
	t, ok := r.types[eventType]
	if !ok {
		return nil, Errorf(Invalid, "type", "event type %q is not in the catalogue.", eventType)
	}
	if version < 1 || version > t.Version {
		return nil, Errorf(Invalid, "version",
			"event type %s has schema versions 1 to %d; version %d is not one of them.", eventType, t.Version, version)
	}
	for v := version; v < t.Version; v++ {
		next, err := t.Upcasters[v-1](payload)
		if err != nil {
			return nil, Errorf(Invalid, "payload", "the %s payload cannot be upcast from version %d to %d: %v.",
				eventType, v, v+1, err)
		}
		payload = next
	}
	return payload, nil
}

// Decode upcasts an event's payload to the current version of its type and decodes it strictly
// (unknown fields and trailing data are refused) into the payload struct, returned by value, e.g.
// ConcernResolved.
func (r *Registry) Decode(e Envelope) (any, error) {
	payload, err := r.Upcast(e.Type, e.Version, e.Payload)
	if err != nil {
		return nil, err
	}
	v, err := r.types[e.Type].decode(payload)
	if err != nil {
		return nil, Errorf(Invalid, "payload", "the %s payload (version %d) does not decode: %v.", e.Type, e.Version, err)
	}
	return v, nil
}

// decodeStrict decodes one JSON object into v, refusing unknown fields and trailing data.
func decodeStrict(raw json.RawMessage, v any) error {
	if t := bytes.TrimSpace(raw); len(t) == 0 || t[0] != '{' {
		return errors.New("the payload must be a JSON object")
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return err
	}
	if _, err := d.Token(); err != io.EOF {
		return errors.New("trailing data after the payload")
	}
	return nil
}

// payloadPlan says how a payload type is read in one pass, without encoding/json's decoder: as
// decodeStrict reads it, for members both read alike. Those are members named exactly as a
// field, whose values are strings, true or false, whole numbers, arrays and objects; a null,
// an unknown or repeated member or any other value sends the payload to decodeStrict.
type payloadPlan struct {
	kind   reflect.Kind
	elem   *payloadPlan            // of a slice
	fields map[string]payloadField // of a struct, by JSON name
}

type payloadField struct {
	index int
	bit   uint64 // to notice a repeated member
	plan  *payloadPlan
}

// payloadPlanOf returns the plan of a type, or nil when its payloads are all left to
// decodeStrict: a field of another kind, an embedded or unexported field, or a JSON name or
// option that encoding/json might read otherwise.
func payloadPlanOf(t reflect.Type) *payloadPlan {
	p := &payloadPlan{kind: t.Kind()}
	switch t.Kind() {
	case reflect.String:
		if t != reflect.TypeFor[string]() { // read through a *string
			return nil
		}
	case reflect.Bool, reflect.Int, reflect.Int64:
	case reflect.Slice:
		if p.elem = payloadPlanOf(t.Elem()); p.elem == nil {
			return nil
		}
	case reflect.Struct:
		if t.NumField() > 64 {
			return nil
		}
		p.fields = make(map[string]payloadField, t.NumField())
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, ok := plainField(f)
			fp := payloadPlanOf(f.Type)
			if !ok || fp == nil {
				return nil
			}
			p.fields[name] = payloadField{index: i, bit: 1 << i, plan: fp}
		}
	default:
		return nil
	}
	return p
}

// plainField returns a struct field's JSON name and whether it is omitempty, or false when the
// field is embedded, unexported, or has a JSON name or option encoding/json might treat otherwise.
func plainField(f reflect.StructField) (name string, omitEmpty, ok bool) {
	name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
	if f.Anonymous || !f.IsExported() || !plainJSONName(name) || opts != "" && opts != "omitempty" {
		return "", false, false
	}
	return name, opts == "omitempty", true
}

// plainJSONName reports a field name of lowercase letters, digits and underscores.
func plainJSONName(name string) bool {
	for _, c := range []byte(name) {
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_') {
			return false
		}
	}
	return name != ""
}

// decode reads a payload into dst, reporting false when it must be left to decodeStrict.
func (p *payloadPlan) decode(raw []byte, dst reflect.Value) bool {
	if p == nil || p.kind != reflect.Struct || !validJSON(raw) {
		return false
	}
	r := envParser{in: raw}
	r.space()
	return r.pos < len(raw) && raw[r.pos] == '{' && p.read(raw[r.pos:], dst)
}

// read reads one value, given as its whole token, into dst.
func (p *payloadPlan) read(tok []byte, dst reflect.Value) bool {
	switch p.kind {
	case reflect.String:
		return tok[0] == '"' && str(tok, dst.Addr().Interface().(*string)) == nil
	case reflect.Bool:
		if b := string(tok); b == "true" || b == "false" {
			dst.SetBool(b == "true")
			return true
		}
		return false
	case reflect.Int, reflect.Int64:
		n, err := strconv.ParseInt(string(tok), 10, 64)
		if err != nil || dst.OverflowInt(n) {
			return false
		}
		dst.SetInt(n)
	case reflect.Slice:
		return tok[0] == '[' && p.readArray(tok, dst)
	case reflect.Struct:
		return tok[0] == '{' && p.readObject(tok, dst)
	}
	return true
}

// readArray reads the elements as encoding/json does, growing the slice one element at a time
// and making [] an empty slice, not nil.
func (p *payloadPlan) readArray(tok []byte, dst reflect.Value) bool {
	r := envParser{in: tok, pos: 1}
	if r.eat(']') {
		dst.Set(reflect.MakeSlice(dst.Type(), 0, 0))
		return true
	}
	for n := 0; ; n++ {
		r.space()
		dst.Grow(1)
		dst.SetLen(n + 1)
		if !p.elem.read(r.token(), dst.Index(n)) {
			return false
		}
		if !r.eat(',') {
			return true
		}
	}
}

func (p *payloadPlan) readObject(tok []byte, dst reflect.Value) bool {
	r := envParser{in: tok, pos: 1}
	var seen uint64
	err := r.members(func(key []byte) error {
		f, known := p.fields[string(key)]
		if !known || seen&f.bit != 0 || !f.plan.read(r.token(), dst.Field(f.index)) {
			return errSlowPath
		}
		seen |= f.bit
		return nil
	})
	return err == nil
}
