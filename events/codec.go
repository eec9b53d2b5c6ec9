package events

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"unicode/utf8"
	"unsafe"
)

// MarshalEnvelope encodes an event as the log stores it: the JSON encoding/json would write for
// Envelope, without HTML escaping, so that the stored payload bytes are its canonical bytes.
// Every append goes through it: written by hand it takes 1.2 to 1.9 µs on a stored file review,
// where encoding/json takes 2.8 to 3.4 µs and go-json-experiment 2.1 to 3.2 µs
// (BenchmarkJSONLibraries).
func MarshalEnvelope(e *Envelope) ([]byte, error) {
	return marshalEnvelope(e, false)
}

// Seal completes a new event for storing: it puts the payload in canonical form
// (CanonicalJSON), sets the hash over it (ComputeHash), and returns the event encoded as
// MarshalEnvelope would. The payload is checked once, by CanonicalJSON; a payload that is not
// JSON is an invalid error naming the field "payload".
func Seal(e *Envelope) ([]byte, error) {
	payload, err := CanonicalJSON(e.Payload)
	if err != nil {
		return nil, Errorf(Invalid, "payload", "The payload is not valid JSON: %v.", err)
	}
	e.Payload = payload
	if e.Hash, err = ComputeHash(e); err != nil {
		return nil, err
	}
	return marshalEnvelope(e, true)
}

// SealEncoded is Seal for an event whose payload EncodePayload wrote, and so is in canonical
// form already: it sets the hash and returns the encoded event, checking only that the payload
// is JSON.
func SealEncoded(e *Envelope) ([]byte, error) {
	var err error
	if e.Hash, err = ComputeHash(e); err != nil {
		return nil, err
	}
	return marshalEnvelope(e, false)
}

// marshalEnvelope is MarshalEnvelope; canonical says the payload came from CanonicalJSON and
// so needs no second check.
func marshalEnvelope(e *Envelope, canonical bool) ([]byte, error) {
	// JSON cannot carry text that is not UTF-8: stored, it would come back altered and read as
	// tampered with, so it is refused before anything is written.
	texts := [...]string{e.ID, e.Type, e.Provider, e.AggregateKind, e.Aggregate, e.Actor.StaffID, e.Actor.Role, e.IdempotencyKey, e.PrevHash, e.Hash}
	for _, s := range texts {
		if !utf8.ValidString(s) {
			return nil, errors.New("events: envelope text is not valid UTF-8")
		}
	}
	// Room for the keys, numbers and instants (under 350 bytes), the text and the payload, so
	// that an event without escapes is written without growing the buffer.
	size := 350 + len(e.Payload)
	for _, s := range texts {
		size += len(s)
	}
	b := make([]byte, 0, size)
	b = append(b, `{"id":`...)
	b = AppendJSONString(b, e.ID)
	b = append(b, `,"type":`...)
	b = AppendJSONString(b, e.Type)
	b = append(b, `,"version":`...)
	b = strconv.AppendInt(b, int64(e.Version), 10)
	b = append(b, `,"provider":`...)
	b = AppendJSONString(b, e.Provider)
	b = append(b, `,"aggregate_kind":`...)
	b = AppendJSONString(b, e.AggregateKind)
	b = append(b, `,"aggregate":`...)
	b = AppendJSONString(b, e.Aggregate)
	var err error
	b = append(b, `,"occurred_at":`...)
	if b, err = AppendJSONTime(b, e.OccurredAt); err != nil {
		return nil, err
	}
	b = append(b, `,"recorded_at":`...)
	if b, err = AppendJSONTime(b, e.RecordedAt); err != nil {
		return nil, err
	}
	b = append(b, `,"actor":{"staff_id":`...)
	b = AppendJSONString(b, e.Actor.StaffID)
	b = append(b, `,"role":`...)
	b = AppendJSONString(b, e.Actor.Role)
	b = append(b, '}')
	if e.IdempotencyKey != "" {
		b = append(b, `,"idempotency_key":`...)
		b = AppendJSONString(b, e.IdempotencyKey)
	}
	b = append(b, `,"payload":`...)
	if len(e.Payload) == 0 {
		b = append(b, "null"...)
	} else {
		if !canonical && !validJSON(e.Payload) {
			return nil, errors.New("events: payload is not valid JSON")
		}
		b = append(b, e.Payload...)
	}
	b = append(b, `,"position":`...)
	b = strconv.AppendUint(b, e.Position, 10)
	b = append(b, `,"prev_hash":`...)
	b = AppendJSONString(b, e.PrevHash)
	b = append(b, `,"hash":`...)
	b = AppendJSONString(b, e.Hash)
	if e.Sequence != 0 {
		b = append(b, `,"sequence":`...)
		b = strconv.AppendUint(b, e.Sequence, 10)
	}
	return append(b, '}'), nil
}

// UnmarshalEnvelope decodes a stored event as json.Unmarshal would into an Envelope: unknown
// fields are ignored, a repeated field keeps its last value, null leaves a field zero. A stored
// event must decode exactly so for its hash to verify, and every read goes through it: it
// decodes the members where the pass that checks the JSON found them, 1.8 µs on a stored file
// review, against go-json-experiment's 2.3 (which refuses a repeated field) and encoding/json's
// 9.4 to 15 µs (BenchmarkJSONLibraries, best of three on a shared 2-core machine);
// EnvelopeReader also shares recurring texts and the payload's buffer across a read.
func UnmarshalEnvelope(data []byte, e *Envelope) error {
	return unmarshalEnvelope(data, e, false, nil)
}

// UnmarshalOwnedEnvelope decodes as UnmarshalEnvelope does, but e.Payload shares data's storage
// instead of being a copy of it: for a caller that owns data and never changes it, such as a
// reader given a fresh buffer per message. It saves a payload-sized allocation per event read.
func UnmarshalOwnedEnvelope(data []byte, e *Envelope) error {
	return unmarshalEnvelope(data, e, true, nil)
}

// EnvelopeReader decodes the events of one read of the log as UnmarshalOwnedEnvelope does, and
// keeps one copy of the short texts that recur from event to event (type, provider, aggregate
// kind, actor), which UnmarshalOwnedEnvelope allocates again for every event. An event's id,
// idempotency key and hashes are read in place, sharing the event's bytes as its payload does:
// whoever keeps one of them for long keeps those bytes (about 600). The zero value is ready to
// use; it is not safe for concurrent use.
type EnvelopeReader struct {
	texts map[string]string
}

// Unmarshal decodes data, which the caller owns and never changes, into e.
func (r *EnvelopeReader) Unmarshal(data []byte, e *Envelope) error {
	if r.texts == nil {
		r.texts = map[string]string{}
	}
	return unmarshalEnvelope(data, e, true, r.texts)
}

// The most texts an EnvelopeReader keeps, and the longest: enough for a ledger's event types,
// providers, aggregate kinds and staff, and bounded whatever a log holds.
const (
	readerTexts   = 4096
	readerTextLen = 64
)

func unmarshalEnvelope(data []byte, e *Envelope, owned bool, texts map[string]string) error {
	var top topMembers
	if !scanJSON(data, &top) {
		return errors.New("events: stored event is not valid JSON")
	}
	p := envParser{in: data, owned: owned, texts: texts}
	p.space()
	if string(bytes.TrimSpace(data)) == "null" {
		return nil // as encoding/json: null leaves the event as it was
	}
	if !p.eat('{') {
		return errors.New("events: stored event is not a JSON object")
	}
	*e = Envelope{}
	field := func(key, tok []byte) error { return p.envelopeField(e, key, tok) }
	var err error
	if top.more {
		err = p.members(field)
	} else {
		// scanJSON found the members as it validated: decode them without a second walk.
		for i := range top.n {
			k, v := top.key[i], top.value[i]
			var key []byte
			if key, err = memberKey(data[k[0]:k[1]]); err == nil {
				err = field(key, data[v[0]:v[1]])
			}
			if err != nil {
				break
			}
		}
	}
	if err == nil && p.texts != nil {
		err = p.decodeHeld(e)
	}
	if errors.Is(err, errSlowPath) {
		*e = Envelope{}
		return unmarshalInto(data, e)
	}
	return err
}

// errSlowPath sends a decode to encoding/json, for members the fast path does not mirror.
var errSlowPath = errors.New("events: decode with encoding/json")

// envParser walks JSON that json.Valid accepted.
type envParser struct {
	in  []byte
	pos int
	// owned lets the payload share in's storage (UnmarshalOwnedEnvelope).
	owned bool
	// texts, when set, holds one copy of each recurring text (EnvelopeReader).
	texts map[string]string
	// held are, for an EnvelopeReader, the tokens of the texts that differ from event to event
	// (id, idempotency key, previous hash, hash), decoded together by decodeHeld.
	held [heldTexts][]byte
}

// The texts an EnvelopeReader decodes together: the ones that differ from event to event and
// that nothing keeps for long but a projection's last hash. The aggregate id is not one of them:
// a provider's state keeps it for good.
const (
	heldID = iota
	heldKey
	heldPrevHash
	heldHash
	heldTexts
)

// hold keeps a text's token for decodeHeld when p decodes for an EnvelopeReader, and decodes it
// at once otherwise.
func (p *envParser) hold(i int, tok []byte, s *string) error {
	if p.texts == nil {
		return str(tok, s)
	}
	p.held[i] = tok
	return nil
}

// decodeHeld decodes the held texts. Those without escapes are read in place: the reader owns
// the event's bytes and never changes them (EnvelopeReader), so each text shares its storage
// instead of being copied.
func (p *envParser) decodeHeld(e *Envelope) error {
	dst := [heldTexts]*string{heldID: &e.ID, heldKey: &e.IdempotencyKey, heldPrevHash: &e.PrevHash, heldHash: &e.Hash}
	for i, tok := range p.held {
		switch {
		case tok == nil:
		case len(tok) > 2 && tok[0] == '"' && bytes.IndexByte(tok, '\\') < 0 && utf8.Valid(tok):
			*dst[i] = unsafe.String(&tok[1], len(tok)-2)
		default:
			if err := str(tok, dst[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

// recurring decodes a string token as str does, taking a text seen before from p.texts.
func (p *envParser) recurring(tok []byte, s *string) error {
	if p.texts == nil || tok[0] != '"' {
		return str(tok, s)
	}
	body := tok[1 : len(tok)-1]
	if t, ok := p.texts[string(body)]; ok {
		*s = t
		return nil
	}
	if err := str(tok, s); err != nil {
		return err
	}
	if len(p.texts) < readerTexts && len(body) <= readerTextLen && string(body) == *s {
		p.texts[*s] = *s
	}
	return nil
}

func (p *envParser) space() {
	for p.pos < len(p.in) && (p.in[p.pos] == ' ' || p.in[p.pos] == '\t' || p.in[p.pos] == '\n' || p.in[p.pos] == '\r') {
		p.pos++
	}
}

func (p *envParser) eat(c byte) bool {
	p.space()
	if p.pos < len(p.in) && p.in[p.pos] == c {
		p.pos++
		return true
	}
	return false
}

// members calls field for each member of the object whose '{' was read, with its key and its
// value's token.
func (p *envParser) members(field func(key, tok []byte) error) error {
	if p.eat('}') {
		return nil
	}
	for {
		p.space()
		key, err := memberKey(p.token())
		if err != nil {
			return err
		}
		p.eat(':')
		p.space()
		if err := field(key, p.token()); err != nil {
			return err
		}
		if !p.eat(',') {
			p.eat('}')
			return nil
		}
	}
}

// memberKey returns the name a member's key token (with its quotes) stands for.
func memberKey(tok []byte) ([]byte, error) {
	key := tok[1 : len(tok)-1]
	if bytes.IndexByte(key, '\\') < 0 {
		return key, nil
	}
	var k string
	if err := json.Unmarshal(tok, &k); err != nil {
		return nil, err
	}
	return []byte(k), nil
}

// token returns the next scalar token, or the whole next value for objects and arrays.
func (p *envParser) token() []byte {
	start := p.pos
	switch p.in[p.pos] {
	case '"':
		p.pos++
		for p.in[p.pos] != '"' {
			if p.in[p.pos] == '\\' {
				p.pos++
			}
			p.pos++
		}
		p.pos++
	case '{', '[':
		depth := 0
		for {
			switch c := p.in[p.pos]; c {
			case '"':
				p.token()
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
			}
			p.pos++
			if depth == 0 {
				break
			}
		}
	default:
		for p.pos < len(p.in) && !endsLiteral(p.in[p.pos]) {
			p.pos++
		}
	}
	return p.in[start:p.pos]
}

func (p *envParser) envelopeField(e *Envelope, key, tok []byte) error {
	if !slices.Contains(envelopeFields[:15], string(key)) {
		if knownField(key) {
			return errSlowPath // a field name in other case: encoding/json matches it anyway
		}
		return nil // unknown fields are ignored, as json.Unmarshal does
	}
	if string(key) == "payload" {
		// A raw message keeps even null as it is, as encoding/json does: the hash covers it.
		if p.owned {
			e.Payload = json.RawMessage(tok[:len(tok):len(tok)]) // an append cannot write into in
		} else {
			e.Payload = append(json.RawMessage(nil), tok...)
		}
		return nil
	}
	if string(tok) == "null" {
		return nil
	}
	switch string(key) {
	case "id":
		return p.hold(heldID, tok, &e.ID)
	case "type":
		return p.recurring(tok, &e.Type)
	case "version":
		return integer(tok, &e.Version)
	case "provider":
		return p.recurring(tok, &e.Provider)
	case "aggregate_kind":
		return p.recurring(tok, &e.AggregateKind)
	case "aggregate":
		return str(tok, &e.Aggregate)
	case "occurred_at":
		return e.OccurredAt.UnmarshalJSON(tok)
	case "recorded_at":
		return e.RecordedAt.UnmarshalJSON(tok)
	case "actor":
		if tok[0] != '{' {
			return unmarshalInto(tok, &e.Actor) // the same type error encoding/json gives
		}
		sub := envParser{in: tok, pos: 1, texts: p.texts}
		return sub.members(func(key, v []byte) error {
			if string(v) == "null" {
				return nil
			}
			switch string(key) {
			case "staff_id":
				return sub.recurring(v, &e.Actor.StaffID)
			case "role":
				return sub.recurring(v, &e.Actor.Role)
			}
			if knownField(key) {
				return errSlowPath
			}
			return nil
		})
	case "idempotency_key":
		return p.hold(heldKey, tok, &e.IdempotencyKey)
	case "payload":
		e.Payload = append(json.RawMessage(nil), tok...)
	case "position":
		return unsigned(tok, &e.Position)
	case "prev_hash":
		return p.hold(heldPrevHash, tok, &e.PrevHash)
	case "hash":
		return p.hold(heldHash, tok, &e.Hash)
	case "sequence":
		return unsigned(tok, &e.Sequence)
	default:
		if knownField(key) {
			return errSlowPath // a field name in other case: encoding/json matches it anyway
		}
	}
	return nil // unknown fields are ignored, as json.Unmarshal does
}

var envelopeFields = [...]string{"id", "type", "version", "provider", "aggregate_kind", "aggregate", "occurred_at", "recorded_at", "actor", "idempotency_key", "payload", "position", "prev_hash", "hash", "sequence", "staff_id", "role"}

// knownField reports a member name that json.Unmarshal would match to an Envelope field when
// case is ignored (it also folds "K" and "S" to their Kelvin and long-s look-alikes).
func knownField(key []byte) bool {
	for _, f := range envelopeFields {
		if bytes.EqualFold(key, []byte(f)) {
			return true
		}
	}
	return bytes.ContainsRune(key, '\u212a') || bytes.ContainsRune(key, '\u017f')
}

func str(tok []byte, s *string) error {
	if tok[0] == '"' {
		body := tok[1 : len(tok)-1]
		if bytes.IndexByte(body, '\\') < 0 && utf8.Valid(body) {
			*s = string(body)
			return nil
		}
	}
	return unmarshalInto(tok, s) // escapes, or the same type error encoding/json gives
}

func integer(tok []byte, n *int) error {
	v, err := strconv.ParseInt(string(tok), 10, 64)
	if err != nil {
		return unmarshalInto(tok, n)
	}
	*n = int(v)
	return nil
}

func unsigned(tok []byte, n *uint64) error {
	v, err := strconv.ParseUint(string(tok), 10, 64)
	if err != nil {
		return unmarshalInto(tok, n)
	}
	*n = v
	return nil
}

// unmarshalInto is json.Unmarshal(tok, dst) through a copy of *dst, so that dst does not escape
// to the heap: an envelope being decoded can then stay on its reader's stack.
func unmarshalInto[T any](tok []byte, dst *T) error {
	v := *dst
	err := json.Unmarshal(tok, &v)
	*dst = v
	return err
}
