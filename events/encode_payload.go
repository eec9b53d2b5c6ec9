package events

import (
	"encoding"
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// EncodePayload returns a payload value's JSON in canonical form: the bytes
// CanonicalJSON(json.Marshal(v)) gives. The catalogue's payload types (structs of strings,
// booleans, whole numbers, slices and structs of those) are written in one pass, each struct's
// members in the order of their JSON names, with no encoding/json and no second parse; other
// values, and strings that are not valid UTF-8, go through encoding/json and CanonicalJSON.
// A file review's payload takes 0.6 to 0.8 µs, where either library followed by CanonicalJSON
// takes 3.8 to 4.9 µs (BenchmarkJSONLibraries).
func EncodePayload(v any) (json.RawMessage, error) {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer && !rv.IsNil() {
		rv = rv.Elem()
	}
	if rv.IsValid() && rv.Kind() != reflect.Pointer {
		if p := encodePlanOf(rv.Type()); p != nil {
			buf := encodeBuffers.Get().(*[]byte)
			out, ok := p.append((*buf)[:0], rv)
			if ok {
				out = slices.Clone(out)
			}
			*buf = (*buf)[:0]
			encodeBuffers.Put(buf)
			if ok {
				return out, nil
			}
		}
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return CanonicalJSON(raw)
}

// encodeBuffers holds the buffers EncodePayload writes in before copying out the payload, so
// that a payload costs one allocation of its own size.
var encodeBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// encodePlan says how one type is written in canonical form.
type encodePlan struct {
	kind   reflect.Kind
	elem   *encodePlan   // of a slice
	fields []encodeField // of a struct, ordered by JSON name
}

type encodeField struct {
	index     int
	key       string // "name": as written
	omitEmpty bool
	plan      *encodePlan
}

// encodePlans caches encodePlanOf's answers by type; a nil plan is cached too.
var encodePlans sync.Map // reflect.Type -> *encodePlan

// encodePlanOf returns a type's plan, or nil when its values are left to encoding/json: a
// kind other than those above, a type with its own JSON or text encoding, an embedded or
// unexported field, or a JSON name or option encoding/json might treat otherwise.
func encodePlanOf(t reflect.Type) *encodePlan { return cachedPlan(&encodePlans, t, buildEncodePlan) }

var (
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
)

func buildEncodePlan(t reflect.Type) *encodePlan {
	for _, m := range []reflect.Type{jsonMarshaler, textMarshaler} {
		if t.Implements(m) || reflect.PointerTo(t).Implements(m) {
			return nil
		}
	}
	p := &encodePlan{kind: t.Kind()}
	switch t.Kind() {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 { // []byte is written in base64
			return nil
		}
		if p.elem = buildEncodePlan(t.Elem()); p.elem == nil {
			return nil
		}
	case reflect.Struct:
		for i := range t.NumField() {
			f := t.Field(i)
			name, omitEmpty, ok := plainField(f)
			if !ok {
				return nil
			}
			fp := buildEncodePlan(f.Type)
			if fp == nil {
				return nil
			}
			p.fields = append(p.fields, encodeField{index: i, key: `"` + name + `":`, omitEmpty: omitEmpty, plan: fp})
		}
		// Keys in canonical order; a name given twice is left to encoding/json, which drops both.
		slices.SortFunc(p.fields, func(a, b encodeField) int { return strings.Compare(a.key, b.key) })
		for i := 1; i < len(p.fields); i++ {
			if p.fields[i].key == p.fields[i-1].key {
				return nil
			}
		}
	default:
		return nil
	}
	return p
}

// append writes v, reporting false for a value it must leave to encoding/json.
func (p *encodePlan) append(b []byte, v reflect.Value) ([]byte, bool) {
	switch p.kind {
	case reflect.String:
		s := v.String()
		if !utf8.ValidString(s) { // encoding/json writes U+FFFD for each bad byte
			return b, false
		}
		return AppendJSONString(b, s), true
	case reflect.Bool:
		if v.Bool() {
			return append(b, "true"...), true
		}
		return append(b, "false"...), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.AppendInt(b, v.Int(), 10), true
	case reflect.Slice:
		if v.IsNil() {
			return append(b, "null"...), true
		}
		b = append(b, '[')
		for i := range v.Len() {
			if i > 0 {
				b = append(b, ',')
			}
			var ok bool
			if b, ok = p.elem.append(b, v.Index(i)); !ok {
				return b, false
			}
		}
		return append(b, ']'), true
	default: // reflect.Struct
		b = append(b, '{')
		first := true
		for _, f := range p.fields {
			fv := v.Field(f.index)
			if f.omitEmpty && emptyValue(fv) {
				continue
			}
			if !first {
				b = append(b, ',')
			}
			first = false
			b = append(b, f.key...)
			var ok bool
			if b, ok = f.plan.append(b, fv); !ok {
				return b, false
			}
		}
		return append(b, '}'), true
	}
}

// emptyValue is encoding/json's test for omitempty, for the kinds a plan holds.
func emptyValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.String, reflect.Slice:
		return v.Len() == 0
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	}
	return false
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
