package domain

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/wsledger/wsledger/events"
)

var commandNamePattern = regexp.MustCompile(`^[A-Za-z]{1,64}$`)

// roles lists every role an actor may have.
var roles = []string{events.RoleCaseManager, events.RoleSupervisor, events.RoleProgramManager,
	events.RoleCSQAAuditor, events.RoleWSTA, events.RoleAdmin}

// DecodeCommand reads a command from JSON strictly: the text must be UTF-8, the value one JSON
// object whose type names a command; unknown fields, values of the wrong JSON type, malformed
// dates and ids, and every rule that needs no state are refused with an *events.Error naming the
// field. occurred_at, when absent, stays zero and Decide reads it as "now".
func DecodeCommand(data []byte) (Command, error) {
	return decodeCommand(readText(data))
}

// DecodeFingerprinted decodes a command (DecodeCommand) and returns it with its fingerprint
// (Fingerprint), as the write path needs both, reading the text once for the two. A key given
// twice is refused, naming it, before decoding, which on its own would keep the last.
func DecodeFingerprinted(data []byte) (Command, string, error) {
	text := readText(data)
	fp, fperr := fingerprint(text)
	if fieldNamed(fperr) {
		return nil, "", fperr
	}
	cmd, err := decodeCommand(text)
	if err != nil {
		return nil, "", err
	}
	if fperr != nil {
		return nil, "", fperr
	}
	return cmd, fp, nil
}

// fieldNamed reports an *events.Error that names a field. It looks only at errors: the target
// of errors.As is allocated wherever it is declared.
func fieldNamed(err error) bool {
	if err == nil {
		return false
	}
	var named *events.Error
	return errors.As(err, &named) && named.Field != ""
}

// commandText is a command's JSON as bytes and, when it is UTF-8, as a string, whose substrings
// become the command's text.
type commandText struct {
	data  []byte
	s     string
	valid bool // data is UTF-8 and s holds it
}

func readText(data []byte) commandText {
	t := commandText{data: data, valid: utf8.Valid(data)}
	if t.valid {
		t.s = string(data)
	}
	return t
}

func decodeCommand(text commandText) (Command, error) {
	data := text.data
	if !text.valid {
		return nil, invalid("", "The command is not valid UTF-8 text.")
	}
	if e := checkSurrogates(text.s); e != nil {
		return nil, e
	}
	cmd, ok := decodeOnePass(text.s)
	if !ok {
		var e *events.Error
		if cmd, e = decodeByTree(data); e != nil {
			return nil, e
		}
	}
	if err := validateCommand(cmd); err != nil {
		return nil, err
	}
	return cmd, nil
}

// decodeByTree parses the text into a tree of JSON values and copies it into the command with
// strictDecoder, which names the field of any refusal. decodeOnePass gives the same command
// faster for text decodeByTree accepts, and leaves every refusal to it.
func decodeByTree(data []byte) (Command, *events.Error) {
	v, err := parseJSON(data)
	if err != nil {
		return nil, invalid("", "The command is not valid JSON: %v.", err)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, invalid("", "The command must be a JSON object.")
	}
	spec, e := specOfObject(obj)
	if e != nil {
		return nil, e
	}
	cmd := spec.new()
	if e := (strictDecoder{command: spec.name}).object("", obj, reflect.ValueOf(cmd).Elem()); e != nil {
		return nil, e
	}
	return cmd, nil
}

func specOfObject(obj map[string]any) (commandSpec, *events.Error) {
	raw, present := obj["type"]
	name, isString := raw.(string)
	switch {
	case !present:
		return commandSpec{}, invalid("type", "type is required: the name of the command, for example ReceiveClientCall.")
	case !isString:
		return commandSpec{}, wrongType("type", "a string")
	}
	spec, known := specByName[name]
	if !known {
		if commandNamePattern.MatchString(name) {
			return commandSpec{}, invalid("type", "%s is not a wsledger command.", name)
		}
		return commandSpec{}, invalid("type", "type does not name a wsledger command.")
	}
	return spec, nil
}

// validateCommand applies the header's and the command's stateless rules.
func validateCommand(cmd Command) error {
	if e := cmd.Header().validate(); e != nil {
		return e
	}
	return cmd.validate()
}

func (h *Header) validate() *events.Error {
	return first(
		checkProvider(h.Provider),
		checkOptionalID("idempotency_key", h.IdempotencyKey),
		checkID("actor.staff_id", h.Actor.StaffID),
		checkEnum("actor.role", h.Actor.Role, roles...),
	)
}

func checkProvider(v string) *events.Error {
	switch {
	case v == "":
		return invalid("provider", "provider is required.")
	case !providerPattern.MatchString(v):
		return invalid("provider", "provider must be 1 to 40 lowercase letters, digits or '-', starting with a letter or digit.")
	}
	return nil
}

// parseJSON reads exactly one JSON value, keeping numbers as written.
func parseJSON(data []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, errTrailingData
	}
	return v, nil
}

var errTrailingData = errors.New("there is data after the command's JSON object")

// Fingerprint returns a stable digest of a command: the hex SHA-256 of its canonical JSON, so
// that the same command with keys reordered or spaced differently has the same fingerprint and a
// reused idempotency key with a different command can be detected.
func Fingerprint(data []byte) (string, error) {
	return fingerprint(readText(data))
}

func fingerprint(text commandText) (string, error) {
	buf := fingerprintBuffers.Get().(*[]byte)
	defer fingerprintBuffers.Put(buf)
	c, ok := appendPlainCanonicalJSON((*buf)[:0], text)
	*buf = c[:0]
	if !ok {
		var err error
		if c, err = events.CanonicalJSON(text.data); err != nil {
			var dup *events.DuplicateKeyError
			if errors.As(err, &dup) {
				return "", invalid(dup.Key, "%s is given twice; each field may appear once in a command.", dup.Key)
			}
			return "", invalid("", "The command is not valid JSON: %v.", err)
		}
	}
	return events.HexSHA256(c), nil
}

// plainCanonicalJSON returns events.CanonicalJSON(data) for plain JSON: UTF-8 text without
// escapes, U+2028, U+2029 or repeated keys, as commands usually are. For anything else it
// gives up (false) and CanonicalJSON decides.
func plainCanonicalJSON(data []byte) ([]byte, bool) {
	return appendPlainCanonicalJSON(make([]byte, 0, len(data)), readText(data))
}

// appendPlainCanonicalJSON appends plainCanonicalJSON(text.data) to out.
func appendPlainCanonicalJSON(out []byte, text commandText) ([]byte, bool) {
	if !text.valid {
		return out, false
	}
	t := jsonText{s: text.s}
	out, ok := t.canonical(out, 0)
	return out, ok && t.end()
}

// fingerprintBuffers hold the canonical bytes Fingerprint hashes, which it needs only until
// they are hashed.
var fingerprintBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// canonical appends the canonical form of the next value to out: keys sorted, no white space,
// strings and numbers as written.
func (t *jsonText) canonical(out []byte, depth int) ([]byte, bool) {
	t.space()
	if t.pos == len(t.s) || depth > maxSkipDepth {
		return out, false
	}
	switch t.s[t.pos] {
	case '{':
		return t.canonicalObject(out, depth)
	case '[':
		out = append(out, '[')
		n := 0
		ok := t.elements(func() bool {
			if n++; n > 1 {
				out = append(out, ',')
			}
			var ok bool
			out, ok = t.canonical(out, depth+1)
			return ok
		})
		return append(out, ']'), ok
	case '"':
		tok, escaped, ok := t.str()
		return append(out, tok...), ok && !escaped && !hasLineSeparator(tok)
	}
	start := t.pos
	ok := t.literal("true") || t.literal("false") || t.literal("null")
	if !ok {
		_, ok = t.number()
	}
	return append(out, t.s[start:t.pos]...), ok
}

// hasLineSeparator reports whether s holds U+2028 or U+2029, which encoding/json escapes; both
// begin with the byte 0xE2, which most text lacks.
func hasLineSeparator(s string) bool {
	return strings.IndexByte(s, "\u2028"[0]) >= 0 && (strings.Contains(s, "\u2028") || strings.Contains(s, "\u2029"))
}

// canonicalObject writes the members in the order of their keys.
func (t *jsonText) canonicalObject(out []byte, depth int) ([]byte, bool) {
	type member struct {
		key        string
		start, end int // of `"key":value` in out
	}
	var memberBuf [16]member
	members := memberBuf[:0]
	base := len(out)
	ok := t.members(func(key string, escaped bool) bool {
		start := len(out)
		out = append(append(out, key...), ':')
		var ok bool
		out, ok = t.canonical(out, depth+1)
		members = append(members, member{key: key[1 : len(key)-1], start: start, end: len(out)})
		return ok && !escaped && !hasLineSeparator(key)
	})
	if !ok {
		return out, false
	}
	slices.SortFunc(members, func(a, b member) int { return strings.Compare(a.key, b.key) })
	var writtenBuf [512]byte
	written := append(writtenBuf[:0], out[base:]...)
	out = append(out[:base], '{')
	for i, m := range members {
		if i > 0 {
			if m.key == members[i-1].key {
				return out, false // CanonicalJSON refuses repeated keys
			}
			out = append(out, ',')
		}
		out = append(out, written[m.start-base:m.end-base]...)
	}
	return append(out, '}'), true
}
