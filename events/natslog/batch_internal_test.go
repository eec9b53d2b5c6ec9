package natslog

import (
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// TestBatchAllOrNothing proves the atomic publish: a batch whose third message fails its
// compare-and-set stores none of the three.
func TestBatchAllOrNothing(t *testing.T) {
	l, err := Open(t.Context(), Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	msg := func(subj string) *nats.Msg { m := nats.NewMsg(subj); m.Data = []byte(`{}`); return m }
	ms := []*nats.Msg{msg("ledger.x.item.a"), msg("ledger.x.item.b"), msg("ledger.x.item.c")}
	ms[2].Header.Set(jetstream.ExpectedLastSubjSeqHeader, "7")
	if _, err := l.publish(time.Now().Add(publishTimeout), ms); err == nil {
		t.Fatal("batch with a failing compare-and-set was stored")
	} else if pe, ok := err.(*pubError); !ok || !pe.casFailed() {
		t.Fatalf("error %v is not a compare-and-set failure", err)
	}
	if n, _ := l.LastSequence(t.Context()); n != 0 {
		t.Fatalf("%d of the refused batch's messages were stored", n)
	}
	ms = []*nats.Msg{msg("ledger.x.item.a"), msg("ledger.x.item.b"), msg("ledger.x.item.c")}
	if last, err := l.publish(time.Now().Add(publishTimeout), ms); err != nil || last != 3 {
		t.Fatalf("good batch: last %d, %v", last, err)
	}
}
