package natslog

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
)

// ackInbox receives the acknowledgements of the log's publishes on one synchronous
// subscription. The connection's reader hands each acknowledgement straight to the committing
// goroutine, where a request or an asynchronous publish would pass it through one more
// goroutine first; and most acknowledgements are read without encoding/json. Only the goroutine
// committing (one at a time, see lead) uses it.
type ackInbox struct {
	prefix string // the inbox subject and a dot; each publish adds its token
	sub    *nats.Subscription
	next   uint64               // the last token given out
	early  map[uint64]*nats.Msg // acknowledgements that came before one waited for
}

func newAckInbox(nc *nats.Conn) (*ackInbox, error) {
	prefix := nc.NewInbox() + "."
	sub, err := nc.SubscribeSync(prefix + "*")
	if err != nil {
		return nil, fmt.Errorf("natslog: subscribe to acknowledgements: %w", err)
	}
	return &ackInbox{prefix: prefix, sub: sub, early: map[uint64]*nats.Msg{}}, nil
}

// send publishes m asking for its acknowledgement, and returns the token to wait for.
func (a *ackInbox) send(nc *nats.Conn, m *nats.Msg) (uint64, error) {
	a.next++
	m.Reply = a.prefix + strconv.FormatUint(a.next, 10)
	err := nc.PublishMsg(m)
	if testHookSent != nil && err == nil {
		testHookSent(m)
	}
	return a.next, err
}

// testHookSent, when set by a test, runs after each message that asks for an acknowledgement
// has been sent, before the acknowledgement is read.
var testHookSent func(m *nats.Msg)

// wait returns the acknowledgement of the publish given token, waiting for it until deadline.
// Acknowledgements of earlier publishes that were given up on are dropped. It waits with the
// subscription's pooled timers: a context with a deadline would cost a timer of its own for
// every commit.
func (a *ackInbox) wait(deadline time.Time, token uint64) (pubAck, error) {
	for t := range a.early {
		if t < token {
			delete(a.early, t)
		}
	}
	m, ok := a.early[token]
	delete(a.early, token)
	for !ok {
		var err error
		if m, err = a.sub.NextMsg(time.Until(deadline)); err != nil {
			return pubAck{}, fmt.Errorf("%w: %v", errUnacknowledged, err)
		}
		t, perr := strconv.ParseUint(strings.TrimPrefix(m.Subject, a.prefix), 10, 64)
		switch {
		case perr != nil || t < token:
		case t > token:
			a.early[t] = m
		default:
			ok = true
		}
	}
	if len(m.Data) == 0 {
		// A status without a body: no stream took the message (503, no responders).
		return pubAck{}, fmt.Errorf("%w: status %s %s", errUnacknowledged, m.Header.Get("Status"), m.Header.Get("Description"))
	}
	return parseAck(m.Data)
}

// ackPrefix starts every successful acknowledgement the server writes, such as
// {"stream":"LEDGER","seq":12}.
var ackPrefix = []byte(`{"stream":"`)

// parseAck reads an acknowledgement. A plain success, one per append, is read by hand in 28 ns
// without allocating, where encoding/json takes 0.7 µs and go-json-experiment/json 0.29 µs
// (BenchmarkParseAck); anything else (an error, a batch's count, a form not expected) goes
// through encoding/json.
func parseAck(data []byte) (pubAck, error) {
	if seq, ok := plainAck(data); ok {
		return pubAck{Seq: seq}, nil
	}
	var ack pubAck
	if err := json.Unmarshal(data, &ack); err != nil {
		return pubAck{}, fmt.Errorf("%w: reply %q: %v", errUnacknowledged, data, err)
	}
	return ack, nil
}

// plainAck returns the sequence of an acknowledgement of exactly the form
// {"stream":"<name>","seq":<n>}, and false for any other.
func plainAck(data []byte) (uint64, bool) {
	rest, ok := bytes.CutPrefix(data, ackPrefix)
	if !ok {
		return 0, false
	}
	end := 0
	for end < len(rest) && rest[end] != '"' {
		if c := rest[end]; c < 0x20 || c > 0x7e || c == '\\' {
			return 0, false // a name encoding/json would read differently, or refuse
		}
		end++
	}
	rest, ok = bytes.CutPrefix(rest[end:], []byte(`","seq":`))
	if !ok {
		return 0, false
	}
	n := 0
	for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
		n++
	}
	if n == 0 || n+1 != len(rest) || rest[n] != '}' {
		return 0, false
	}
	seq, err := strconv.ParseUint(string(rest[:n]), 10, 64)
	return seq, err == nil
}
