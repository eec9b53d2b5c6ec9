package reliability

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/events/logtest"
	"github.com/wsledger/wsledger/events/natslog"
	"github.com/wsledger/wsledger/events/natslog/natstest"
)

// casFailureCodes are the JetStream errors the ledger reads as "another writer got there
// first" (events/natslog/publish.go): wrong last msg id, wrong last sequence with and without
// the current sequence.
var casFailureCodes = map[int]bool{10070: true, 10071: true, 10164: true}

// answer is JetStream's reply to a publish.
type answer struct {
	Seq       uint64 `json:"seq"`
	Count     uint64 `json:"count"`
	Duplicate bool   `json:"duplicate"`
	Error     *struct {
		ErrCode     int    `json:"err_code"`
		Description string `json:"description"`
	} `json:"error"`
}

func (a answer) String() string {
	if a.Error != nil {
		return fmt.Sprintf("error %d %q", a.Error.ErrCode, a.Error.Description)
	}
	return fmt.Sprintf("stored at %d (count %d, duplicate %v)", a.Seq, a.Count, a.Duplicate)
}

// probe publishes msgs, one plain message or an atomic batch, and returns the reply.
func probe(t *testing.T, nc *nats.Conn, msgs ...*nats.Msg) answer {
	t.Helper()
	if len(msgs) > 1 {
		for i, m := range msgs {
			m.Header.Set("Nats-Batch-Id", "probe-batch")
			m.Header.Set("Nats-Batch-Sequence", strconv.Itoa(i+1))
			if i < len(msgs)-1 {
				if err := nc.PublishMsg(m); err != nil {
					t.Fatal(err)
				}
			}
		}
		msgs[len(msgs)-1].Header.Set("Nats-Batch-Commit", "1")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	reply, err := nc.RequestMsgWithContext(ctx, msgs[len(msgs)-1])
	// A stream just created on a cluster may not yet listen on the server the client is
	// connected to: "no responders" stored nothing, so the publish is sent again.
	for errors.Is(err, nats.ErrNoResponders) && ctx.Err() == nil {
		time.Sleep(20 * time.Millisecond)
		reply, err = nc.RequestMsgWithContext(ctx, msgs[len(msgs)-1])
	}
	if err != nil {
		t.Fatalf("publish: %v", err)
	}
	var a answer
	if err := json.Unmarshal(reply.Data, &a); err != nil {
		t.Fatalf("reply %q: %v", reply.Data, err)
	}
	return a
}

func probeMsg(id string, expectLast uint64) *nats.Msg {
	m := nats.NewMsg("probe.x")
	m.Data = []byte(`{}`)
	m.Header.Set(jetstream.MsgIDHeader, id)
	if expectLast > 0 {
		m.Header.Set(jetstream.ExpectedLastSeqHeader, strconv.FormatUint(expectLast, 10))
	}
	return m
}

// casAnswers publishes, on a stream configured like the ledger's, what a writer with a stale
// view and a writer that retries a publish send, and returns JetStream's answers by case.
func casAnswers(t *testing.T, js jetstream.JetStream, nc *nats.Conn, replicas int) map[string]answer {
	t.Helper()
	_, err := js.CreateStream(t.Context(), jetstream.StreamConfig{
		Name: "PROBE", Subjects: []string{"probe.>"}, Storage: jetstream.FileStorage, Replicas: replicas,
		DenyDelete: true, DenyPurge: true, AllowAtomicPublish: true, AllowDirect: true, Duplicates: 2 * time.Minute,
	})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]answer{}
	first := probe(t, nc, probeMsg("m1", 0))
	out["first publish"] = first
	out["same message again (a retry)"] = probe(t, nc, probeMsg("m1", 0))
	second := probe(t, nc, probeMsg("m2", first.Seq))
	out["on the tip"] = second
	out["same message again, with the same expected sequence"] = probe(t, nc, probeMsg("m2", first.Seq))
	out["stale expected sequence"] = probe(t, nc, probeMsg("m3", first.Seq))
	batch := func(ids ...string) []*nats.Msg {
		ms := []*nats.Msg{probeMsg(ids[0], second.Seq)}
		for _, id := range ids[1:] {
			ms = append(ms, probeMsg(id, 0))
		}
		return ms
	}
	out["batch on the tip"] = probe(t, nc, batch("b1", "b2")...)
	out["same batch again"] = probe(t, nc, batch("b1", "b2")...)
	out["batch with a stale expected sequence"] = probe(t, nc, batch("b3", "b4")...)
	return out
}

// TestCASAnswers records how one server and a three-node cluster answer the publishes the
// ledger relies on, and checks that every stale compare-and-set is refused with an error the
// ledger reads as such, and that no retried publish is stored twice.
func TestCASAnswers(t *testing.T) {
	single, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, JetStream: true, StoreDir: t.TempDir(), NoSigs: true, NoLog: true})
	if err != nil {
		t.Fatal(err)
	}
	go single.Start()
	if !single.ReadyForConnections(natstest.ReadyTimeout) {
		t.Fatal("server not ready")
	}
	t.Cleanup(single.Shutdown)
	c := natstest.Start(t, 3)
	setups := []struct {
		name     string
		url      string
		replicas int
	}{
		{"one server", single.ClientURL(), 1},
		{"three-node cluster", c.URLs(0), 3},
	}
	for _, s := range setups {
		t.Run(s.name, func(t *testing.T) {
			nc, js := connect(t, s.url)
			answers := casAnswers(t, js, nc, s.replicas)
			for _, name := range []string{"first publish", "same message again (a retry)", "on the tip",
				"same message again, with the same expected sequence", "stale expected sequence",
				"batch on the tip", "same batch again", "batch with a stale expected sequence"} {
				t.Logf("%-52s %v", name, answers[name])
			}
			for _, name := range []string{"stale expected sequence", "batch with a stale expected sequence"} {
				if a := answers[name]; a.Error == nil || !casFailureCodes[a.Error.ErrCode] {
					t.Errorf("%s: %v; the ledger would not read it as a compare-and-set failure", name, a)
				}
			}
			st, err := js.Stream(t.Context(), "PROBE")
			if err != nil {
				t.Fatal(err)
			}
			if n := st.CachedInfo().State.Msgs; n != 4 {
				t.Errorf("the stream holds %d messages, want 4 (m1, m2, b1, b2): a retry was stored twice or a good publish refused", n)
			}
		})
	}
}

// TestClusteredStaleWriter has two ledger processes on the cluster: one whose view is stale
// retries a command the other stored; it must answer the first result and append nothing. A
// stale expected sequence is a conflict, and the chain verifies.
func TestClusteredStaleWriter(t *testing.T) {
	c := natstest.Start(t, 3)
	a := open(t, natslog.Options{URL: c.URLs(0), Replicas: 3})
	b := open(t, natslog.Options{URL: c.URLs(1), Replicas: 3})
	ctx := t.Context()
	if _, err := appendAsClients(ctx, a, request("north", "k-a", 1)); err != nil {
		t.Fatal(err)
	}
	stale, err := a.Head(ctx, "north")
	if err != nil {
		t.Fatal(err)
	}
	cmd := request("north", "k-b", 2)
	first, err := appendAsClients(ctx, b, cmd)
	if err != nil {
		t.Fatal(err)
	}
	before := logtest.LastSequence(t, a)
	again, err := appendAsClients(ctx, a, cmd)
	if err != nil {
		t.Fatalf("retry through the stale process: %v", err)
	}
	if !again[0].Duplicate || again[0].Events[1].ID != first[0].Events[1].ID {
		t.Fatalf("retry through the stale process gave %+v, want the first result", again[0])
	}
	if after := logtest.LastSequence(t, a); after != before {
		t.Fatalf("the retry appended %d events", after-before)
	}
	late := request("north", "k-late", 1)
	late.ExpectedSeq = &stale.Sequence
	if _, err := appendAsClients(ctx, a, late); events.ErrorCode(err) != events.Conflict {
		t.Fatalf("stale expected sequence: %v, want a conflict", err)
	}
	res, err := appendAsClients(ctx, a, request("north", "k-next", 1))
	if err != nil || res[0].Events[0].Position != 4 {
		t.Fatalf("next append: %+v, %v; want position 4", res, err)
	}
	if n := verifyIntact(t, a); n != 4 {
		t.Fatalf("verified %d events, want 4", n)
	}
}
