package natslog

import (
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// TestAckStreamSeqAgreesWithMetadata reads messages through an ordered consumer, as a rebuild
// does, and checks that the stream sequence read from each acknowledgement subject is the one
// nats.go's Metadata gives; and that subjects Metadata would not parse are refused.
func TestAckStreamSeqAgreesWithMetadata(t *testing.T) {
	l, err := Open(t.Context(), Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	for _, subj := range []string{"ledger.x.item.a", "ledger.y.item.b", "ledger.x.item.c"} {
		m := nats.NewMsg(subj)
		m.Data = []byte(`{}`)
		if _, err := l.publish(time.Now().Add(publishTimeout), []*nats.Msg{m}); err != nil {
			t.Fatal(err)
		}
	}
	cons, err := l.js.OrderedConsumer(t.Context(), l.name, jetstream.OrderedConsumerConfig{FilterSubjects: []string{"ledger.x.>"}})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		m, err := cons.Next()
		if err != nil {
			t.Fatal(err)
		}
		md, err := m.Metadata()
		if err != nil {
			t.Fatal(err)
		}
		if seq, ok := ackStreamSeq(m.Reply()); !ok || seq != md.Sequence.Stream {
			t.Errorf("ackStreamSeq(%q) = %d, %v; Metadata gives %d", m.Reply(), seq, ok, md.Sequence.Stream)
		}
	}
	for _, tc := range []struct {
		reply string
		ok    bool
	}{
		{"$JS.ACK.S.C.1.42.7.1700000000.0", true},
		{"$JS.ACK._.HASH.S.C.1.42.7.1700000000.0.RND", true},
		{"$JS.ACK._.HASH.S.C.1.42.7.1700000000.0", true},
		{"$JS.ACK.S.C.1.42.7.1700000000", false},
		{"$JS.ACK.S.C.1.42.7.1700000000.0.X", false},
		{"$JS.ACK.S.C.1.x.7.1700000000.0", false},
		{"_INBOX.abc", false},
	} {
		seq, ok := ackStreamSeq(tc.reply)
		if ok != tc.ok || (ok && seq != 42) {
			t.Errorf("ackStreamSeq(%q) = %d, %v; want 42 only when it parses (%v)", tc.reply, seq, ok, tc.ok)
		}
	}
}
