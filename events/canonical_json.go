package events

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"unicode/utf8"
)

// canonicalizer rewrites JSON that json.Valid accepted into canonical form in one pass. Every
// object's members are written straight to out and reordered in place only when their keys
// are not already in order, so a payload costs a few allocations whatever its size.
type canonicalizer struct {
	in      []byte
	pos     int
	out     []byte
	members []member // the members of the objects being written, innermost last
	scratch []byte   // room for reordering one object's members
}

func (c *canonicalizer) skipSpace() {
	for c.pos < len(c.in) {
		switch c.in[c.pos] {
		case ' ', '\t', '\n', '\r':
			c.pos++
		default:
			return
		}
	}
}

func (c *canonicalizer) value() error {
	c.skipSpace()
	switch c.in[c.pos] {
	case '{':
		return c.object()
	case '[':
		return c.array()
	case '"':
		s, err := c.str()
		c.out = append(c.out, s...)
		return err
	default: // number, true, false, null: copied as written
		start := c.pos
		for c.pos < len(c.in) && !endsLiteral(c.in[c.pos]) {
			c.pos++
		}
		c.out = append(c.out, c.in[start:c.pos]...)
		return nil
	}
}

func (c *canonicalizer) array() error {
	c.pos++ // [
	c.out = append(c.out, '[')
	c.skipSpace()
	if c.in[c.pos] == ']' {
		c.pos++
		c.out = append(c.out, ']')
		return nil
	}
	for {
		if err := c.value(); err != nil {
			return err
		}
		c.skipSpace()
		if c.in[c.pos] == ']' {
			c.pos++
			c.out = append(c.out, ']')
			return nil
		}
		c.pos++ // ,
		c.out = append(c.out, ',')
	}
}

// member is one object member written to out[start:end] as its canonical "key":value.
type member struct {
	key        []byte // unescaped, for ordering
	start, end int
}

func (c *canonicalizer) object() error {
	c.pos++ // {
	c.skipSpace()
	if c.in[c.pos] == '}' {
		c.pos++
		c.out = append(c.out, '{', '}')
		return nil
	}
	c.out = append(c.out, '{')
	open := len(c.out)
	base := len(c.members)
	defer func() { c.members = c.members[:base] }()
	sorted := true
	for {
		c.skipSpace()
		keyStart := c.pos
		keyText, err := c.str()
		if err != nil {
			return err
		}
		key, err := unquote(c.in[keyStart:c.pos], keyText)
		if err != nil {
			return err
		}
		if n := len(c.members); n > base && bytes.Compare(c.members[n-1].key, key) >= 0 {
			sorted = false
		}
		c.skipSpace()
		c.pos++ // :
		start := len(c.out)
		c.out = append(c.out, keyText...)
		c.out = append(c.out, ':')
		if err := c.value(); err != nil {
			return err
		}
		c.members = append(c.members, member{key: key, start: start, end: len(c.out)})
		c.skipSpace()
		if c.in[c.pos] == '}' {
			c.pos++
			break
		}
		c.pos++ // ,
		c.out = append(c.out, ',')
	}
	if !sorted {
		ms := c.members[base:]
		slices.SortStableFunc(ms, func(a, b member) int { return bytes.Compare(a.key, b.key) })
		for i := 1; i < len(ms); i++ {
			if bytes.Equal(ms[i-1].key, ms[i].key) {
				return &DuplicateKeyError{Key: string(ms[i].key)}
			}
		}
		c.scratch = append(c.scratch[:0], c.out[open:]...)
		c.out = c.out[:open]
		for i, m := range ms {
			if i > 0 {
				c.out = append(c.out, ',')
			}
			c.out = append(c.out, c.scratch[m.start-open:m.end-open]...)
		}
	}
	c.out = append(c.out, '}')
	return nil
}

// str reads a string token and returns its canonical form: the token itself when it has no
// escapes and nothing encoding/json would write differently, else the re-encoded string.
func (c *canonicalizer) str() ([]byte, error) {
	start := c.pos
	c.pos++ // opening quote
	plain := true
	for {
		b := c.in[c.pos]
		if b == '"' {
			break
		}
		if b == '\\' {
			plain = false
			c.pos += 2
			continue
		}
		if b < 0x20 || b >= utf8.RuneSelf {
			plain = false
		}
		c.pos++
	}
	c.pos++ // closing quote
	tok := c.in[start:c.pos]
	if plain {
		return tok, nil
	}
	var s string
	if err := json.Unmarshal(tok, &s); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

func endsLiteral(b byte) bool {
	switch b {
	case ' ', '\t', '\n', '\r', ',', ']', '}':
		return true
	}
	return false
}

// unquote returns a key's unescaped text; tok is the key as written, canon its canonical form,
// which is the token itself when it needed no rewriting (the text is then tok's own bytes).
func unquote(tok, canon []byte) ([]byte, error) {
	if &tok[0] == &canon[0] && bytes.IndexByte(tok, '\\') < 0 {
		return tok[1 : len(tok)-1], nil
	}
	var s string
	err := json.Unmarshal(tok, &s)
	return []byte(s), err
}

// DuplicateKeyError says a JSON object gives the same key twice.
type DuplicateKeyError struct{ Key string }

func (e *DuplicateKeyError) Error() string { return fmt.Sprintf("object has the key %q twice", e.Key) }
