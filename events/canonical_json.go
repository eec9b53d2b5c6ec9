package events

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"unicode/utf8"
)

// canonicalizer rewrites JSON that json.Valid accepted into canonical form in one pass.
type canonicalizer struct {
	in  []byte
	pos int
	out []byte
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

type member struct {
	key   string // unescaped, for ordering
	text  []byte // the canonical "key":value
	start int
}

func (c *canonicalizer) object() error {
	c.pos++ // {
	c.skipSpace()
	if c.in[c.pos] == '}' {
		c.pos++
		c.out = append(c.out, '{', '}')
		return nil
	}
	var members []member
	outer := c.out
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
		c.skipSpace()
		c.pos++ // :
		c.out = append(make([]byte, 0, 64), keyText...)
		c.out = append(c.out, ':')
		if err := c.value(); err != nil {
			return err
		}
		members = append(members, member{key: key, text: c.out})
		c.skipSpace()
		if c.in[c.pos] == '}' {
			c.pos++
			break
		}
		c.pos++ // ,
	}
	slices.SortFunc(members, func(a, b member) int { return bytes.Compare([]byte(a.key), []byte(b.key)) })
	c.out = append(outer, '{')
	for i, m := range members {
		if i > 0 {
			if members[i-1].key == m.key {
				return &DuplicateKeyError{Key: m.key}
			}
			c.out = append(c.out, ',')
		}
		c.out = append(c.out, m.text...)
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
// which is the token itself when it needed no rewriting.
func unquote(tok, canon []byte) (string, error) {
	if &tok[0] == &canon[0] && bytes.IndexByte(tok, '\\') < 0 {
		return string(tok[1 : len(tok)-1]), nil
	}
	var s string
	err := json.Unmarshal(tok, &s)
	return s, err
}

// DuplicateKeyError says a JSON object gives the same key twice.
type DuplicateKeyError struct{ Key string }

func (e *DuplicateKeyError) Error() string { return fmt.Sprintf("object has the key %q twice", e.Key) }
