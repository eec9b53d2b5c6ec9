package events

import (
	"encoding"
	"encoding/binary"
	"encoding/json"
	"reflect"
	"strconv"
	"sync"
	"unicode/utf8"

	jsonv2 "github.com/go-json-experiment/json"
)

// A decodePlan decodes the payloads of one struct type in a single pass, without the reflective
// set-up a general decoder does per call: every event a rebuild reads has its payload decoded.
// It reads only the plainest payloads, those whose members each appear once, under a field's
// exact name, with texts that need no unescaping, and lists of structs of texts, numbers and
// booleans; it gives up on anything else, and decodeFast then decodes the payload with
// go-json-experiment. Whatever it reads, decodeStrict reads alike
// (FuzzFastPayloadDecodeMatchesDecodeStrict, TestFastPayloadDecodeAgreesOnTheEdges), and every
// catalogue type has a plan (TestEveryPayloadTypeHasADecodePlan).
type decodePlan struct {
	fields []planField
}

// planField is one exported field of a planned struct.
type planField struct {
	name  string // the member name, from the field's json tag
	index int
	kind  reflect.Kind // String, Int, Int64, Bool, Struct or Slice
	typ   reflect.Type // the field's type
	elem  *decodePlan  // for a struct, or a slice of structs
	each  reflect.Kind // for a slice: String or Struct
}

// maxPlanFields bounds a planned struct's fields, so that the members seen fit in one word.
const maxPlanFields = 64

var decodePlans sync.Map // reflect.Type -> *decodePlan

// decodePlanOf returns the plan for struct type t, or nil when t has a field no plan reads.
func decodePlanOf(t reflect.Type) *decodePlan { return cachedPlan(&decodePlans, t, buildDecodePlan) }

// cachedPlan returns build(t), built once per type and kept in cache; a nil plan is kept too.
func cachedPlan[P any](cache *sync.Map, t reflect.Type, build func(reflect.Type) *P) *P {
	if p, ok := cache.Load(t); ok {
		return p.(*P)
	}
	p := build(t)
	cache.Store(t, p)
	return p
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
	v2Unmarshaler   = reflect.TypeFor[jsonv2.Unmarshaler]()
	v2UnmarshalFrom = reflect.TypeFor[jsonv2.UnmarshalerFrom]()
)

// decodesItself reports whether values of t decode by a method of their own.
func decodesItself(t reflect.Type) bool {
	p := reflect.PointerTo(t)
	return p.Implements(jsonUnmarshaler) || p.Implements(textUnmarshaler) || p.Implements(v2Unmarshaler) || p.Implements(v2UnmarshalFrom)
}

func buildDecodePlan(t reflect.Type) *decodePlan {
	if t.Kind() != reflect.Struct || t.NumField() > maxPlanFields || decodesItself(t) {
		return nil
	}
	p := &decodePlan{}
	for i := range t.NumField() {
		sf := t.Field(i)
		name, _, ok := plainField(sf) // as the encoding plan: names and options read alike
		if !ok || sf.Tag.Get("format") != "" {
			return nil
		}
		f := planField{name: name, index: i, kind: sf.Type.Kind(), typ: sf.Type}
		if decodesItself(sf.Type) {
			return nil
		}
		switch f.kind {
		case reflect.String, reflect.Int, reflect.Int64, reflect.Bool:
		case reflect.Struct:
			if f.elem = buildDecodePlan(sf.Type); f.elem == nil {
				return nil
			}
		case reflect.Slice:
			e := sf.Type.Elem()
			if f.each = e.Kind(); decodesItself(e) {
				return nil
			}
			switch f.each {
			case reflect.String:
			case reflect.Struct:
				if f.elem = buildDecodePlan(e); f.elem == nil || !f.elem.flat() {
					return nil
				}
			default:
				return nil
			}
		default:
			return nil
		}
		p.fields = append(p.fields, f)
	}
	return p
}

// flat reports whether every field of p is a text, a number or a boolean: the elements of a
// list must be, for a text read is set only once the payload is whole, and an element is found
// again then by its list and index alone.
func (p *decodePlan) flat() bool {
	for _, f := range p.fields {
		if f.kind == reflect.Struct || f.kind == reflect.Slice {
			return false
		}
	}
	return true
}

// decode reads data, one JSON object with only white space around it, into v, and reports
// whether it could; when it could not, v may be partly set.
func (p *decodePlan) decode(data []byte, v reflect.Value) bool {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return false
	}
	var r planReader
	if i = r.object(p, data, i, v, noElement); i < 0 || skipSpace(data, i) != len(data) {
		return false
	}
	r.setTexts(data)
	return true
}

// planReader holds the texts of one payload until it is read whole: a slice may move while it
// grows.
type planReader struct {
	texts [32]pendingText
	n     int
}

// pendingText is a text read and not yet set: data[start:end] goes to the field of element elem
// of the slice owner (field -1: the element itself), or to owner itself when elem is -1. A slice
// may move while it grows: its elements are found again once it is whole.
type pendingText struct {
	owner       reflect.Value
	elem, field int
	start, end  int
}

// element locates the struct an object is read into: element elem of the slice owner, or
// noElement for a struct that does not move.
type element struct {
	owner reflect.Value
	elem  int
}

var noElement = element{elem: -1}

// object reads the object at data[i] == '{' into v and returns the index after it, or -1.
func (r *planReader) object(p *decodePlan, data []byte, i int, v reflect.Value, at element) int {
	if i = skipSpace(data, i+1); i < len(data) && data[i] == '}' {
		return i + 1
	}
	var seen uint64
	for {
		if i >= len(data) || data[i] != '"' {
			return -1
		}
		end := stringEnd(data, i)
		if end < 0 {
			return -1
		}
		f := p.field(data[i+1 : end-1])
		if f < 0 || seen&(1<<f) != 0 {
			return -1 // unknown, named otherwise, or repeated: decodeStrict decides
		}
		seen |= 1 << f
		if i = skipSpace(data, end); i >= len(data) || data[i] != ':' {
			return -1
		}
		pf := &p.fields[f]
		if i = r.value(pf, data, skipSpace(data, i+1), v.Field(pf.index), at); i < 0 {
			return -1
		}
		var done bool
		if i, done = afterValue(data, i, '}'); done {
			return i
		}
	}
}

// afterValue reads what follows a member or an element: a comma, and it returns where the next
// one starts, or the close of its object or array, and it returns done and the index after it.
// Anything else is done at -1.
func afterValue(data []byte, i int, close byte) (next int, done bool) {
	if i = skipSpace(data, i); i < len(data) {
		switch data[i] {
		case ',':
			return skipSpace(data, i+1), false
		case close:
			return i + 1, true
		}
	}
	return -1, true
}

// field returns the index in p.fields of the field named key, or -1.
func (p *decodePlan) field(key []byte) int {
	for j := range p.fields {
		if p.fields[j].name == string(key) {
			return j
		}
	}
	return -1
}

// value reads the value at data[i] into v, field f of the struct at, and returns the index after
// it, or -1. A null leaves v as it is: zero, as the object was.
func (r *planReader) value(f *planField, data []byte, i int, v reflect.Value, at element) int {
	if i >= len(data) {
		return -1
	}
	if data[i] == 'n' {
		return literalEnd(data, i, "null")
	}
	switch f.kind {
	case reflect.String:
		if at.elem < 0 {
			return r.text(data, i, pendingText{owner: v, elem: -1})
		}
		return r.text(data, i, pendingText{owner: at.owner, elem: at.elem, field: f.index})
	case reflect.Int, reflect.Int64:
		end := numberEnd(data, i)
		if end < 0 {
			return -1
		}
		n, err := strconv.ParseInt(string(data[i:end]), 10, 64)
		if err != nil {
			return -1 // a fraction, an exponent or out of range
		}
		v.SetInt(n)
		return end
	case reflect.Bool:
		if end := literalEnd(data, i, "true"); end >= 0 {
			v.SetBool(true)
			return end
		}
		return literalEnd(data, i, "false")
	case reflect.Struct: // never inside a list's element (decodePlan.flat)
		if data[i] != '{' {
			return -1
		}
		return r.object(f.elem, data, i, v, noElement)
	case reflect.Slice:
		return r.list(f, data, i, v)
	}
	return -1
}

// list reads the array at data[i] into v, a slice, and returns the index after it, or -1. An
// empty array gives an empty slice, not nil, as decodeStrict does.
func (r *planReader) list(f *planField, data []byte, i int, v reflect.Value) int {
	if data[i] != '[' {
		return -1
	}
	v.Set(reflect.MakeSlice(f.typ, 0, 0))
	if i = skipSpace(data, i+1); i < len(data) && data[i] == ']' {
		return i + 1
	}
	for n := 0; ; n++ {
		if i >= len(data) {
			return -1
		}
		v.Grow(1)
		v.SetLen(n + 1)
		switch {
		case data[i] == 'n':
			i = literalEnd(data, i, "null")
		case f.each == reflect.String:
			i = r.text(data, i, pendingText{owner: v, elem: n, field: -1})
		case data[i] == '{':
			i = r.object(f.elem, data, i, v.Index(n), element{v, n})
		default:
			return -1
		}
		if i < 0 {
			return -1
		}
		var done bool
		if i, done = afterValue(data, i, ']'); done {
			return i
		}
	}
}

// text notes the string at data[i] for t when it needs no unescaping and is UTF-8, and returns
// the index after it, or -1.
func (r *planReader) text(data []byte, i int, t pendingText) int {
	if data[i] != '"' {
		return -1
	}
	end := plainStringEnd(data, i)
	if end < 0 || r.n == len(r.texts) {
		return -1 // escapes, or more texts than a planned payload has
	}
	t.start, t.end = i+1, end-1
	r.texts[r.n] = t
	r.n++
	return end
}

// setTexts sets the texts noted. A short text is taken from texts seen in earlier payloads when
// it was one of them: months, roles, sources and kinds recur from event to event, and a state
// built from many events then holds one copy of each.
func (r *planReader) setTexts(data []byte) {
	cache := textCaches.Get().(*textCache)
	defer textCaches.Put(cache)
	for _, t := range r.texts[:r.n] {
		v := t.owner
		if t.elem >= 0 {
			if v = v.Index(t.elem); t.field >= 0 {
				v = v.Field(t.field)
			}
		}
		v.SetString(cache.text(data[t.start:t.end]))
	}
}

// textCache holds recent short texts by a hash of their bytes.
type textCache [256]string

var textCaches = sync.Pool{New: func() any { return new(textCache) }}

// The longest text a textCache holds.
const cachedTextLen = 16

// text returns b as a string, the one held when it is.
func (c *textCache) text(b []byte) string {
	if len(b) == 0 || len(b) > cachedTextLen {
		return string(b)
	}
	h := uint32(2166136261) // FNV-1a
	for _, x := range b {
		h = (h ^ uint32(x)) * 16777619
	}
	s := &c[h%uint32(len(c))]
	if *s != string(b) {
		*s = string(b)
	}
	return *s
}

// plainStringEnd returns the index after the string that starts at data[i] == '"' when it has no
// escapes and is UTF-8, or -1. As stringEnd, it skips eight plain ASCII bytes at a time.
func plainStringEnd(data []byte, i int) int {
	const highs = 0x8080808080808080
	start := i + 1
	ascii := true
	for i = start; ; i++ {
		for i+8 <= len(data) {
			if w := binary.LittleEndian.Uint64(data[i:]); special8(w) || w&highs != 0 {
				break
			}
			i += 8
		}
		if i >= len(data) {
			return -1
		}
		switch c := data[i]; {
		case c == '"':
			if !ascii && !utf8.Valid(data[start:i]) {
				return -1
			}
			return i + 1
		case c < 0x20 || c == '\\':
			return -1
		case c >= 0x80:
			ascii = false
		}
	}
}
