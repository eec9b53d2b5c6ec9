// Package wire reads and writes the ledger's commands and state as JSON: commands strictly, with
// every refusal naming its field (DecodeCommand), their fingerprints (Fingerprint), settings files
// (ReadSettings) and the saved form of a provider's state (EncodeBook, DecodeBook). The rules the
// values must meet are package domain's; wire only reads and writes them.
package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"regexp"
	"unicode/utf8"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
)

var commandNamePattern = regexp.MustCompile(`^[A-Za-z]{1,64}$`)

// DecodeCommand reads a command from JSON strictly: the text must be UTF-8, the value one JSON
// object whose type names a command; unknown fields, values of the wrong JSON type, malformed
// dates and ids, and every rule that needs no state are refused with an *events.Error naming the
// field. occurred_at, when absent, stays zero and Decide reads it as "now".
func DecodeCommand(data []byte) (domain.Command, error) {
	return decodeCommand(readText(data))
}

// DecodeFingerprinted decodes a command (DecodeCommand) and returns it with its fingerprint
// (Fingerprint), as the write path needs both, reading the text once for the two. A key given
// twice is refused, naming it, before decoding, which on its own would keep the last.
func DecodeFingerprinted(data []byte) (domain.Command, string, error) {
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

func decodeCommand(text commandText) (domain.Command, error) {
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
	if err := domain.Validate(cmd); err != nil {
		return nil, err
	}
	return cmd, nil
}

// decodeByTree parses the text into a tree of JSON values and copies it into the command with
// strictDecoder, which names the field of any refusal. decodeOnePass gives the same command
// faster for text decodeByTree accepts, and leaves every refusal to it.
func decodeByTree(data []byte) (domain.Command, *events.Error) {
	v, err := parseJSON(data)
	if err != nil {
		return nil, invalid("", "The command is not valid JSON: %v.", err)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, invalid("", "The command must be a JSON object.")
	}
	name, cmd, e := commandOfObject(obj)
	if e != nil {
		return nil, e
	}
	if e := (strictDecoder{command: name}).object("", obj, reflect.ValueOf(cmd).Elem()); e != nil {
		return nil, e
	}
	return cmd, nil
}

// commandOfObject returns the name and a zero command of the type an object's "type" names.
func commandOfObject(obj map[string]any) (string, domain.Command, *events.Error) {
	raw, present := obj["type"]
	name, isString := raw.(string)
	switch {
	case !present:
		return "", nil, invalid("type", "type is required: the name of the command, for example ReceiveClientCall.")
	case !isString:
		return "", nil, wrongType("type", "a string")
	}
	cmd, known := domain.NewCommand(name)
	if !known {
		if commandNamePattern.MatchString(name) {
			return "", nil, invalid("type", "%s is not a wsledger command.", name)
		}
		return "", nil, invalid("type", "type does not name a wsledger command.")
	}
	return name, cmd, nil
}

// invalid is a refusal of the input, naming the field.
func invalid(field, format string, args ...any) *events.Error {
	return events.Errorf(events.Invalid, field, format, args...)
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
