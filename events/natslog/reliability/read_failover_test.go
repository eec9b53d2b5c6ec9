package reliability

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/events/natslog"
	"github.com/wsledger/wsledger/events/natslog/natstest"
)

// TestReadSurvivesConsumerLoss reads a provider's history on the cluster and, after the first
// event, stops the server that hosts the read's consumer. The read may go on or fail, but it
// must not report a healthy store as damaged, and it must end.
func TestReadSurvivesConsumerLoss(t *testing.T) {
	c := natstest.Start(t, 3)
	l := open(t, natslog.Options{URL: c.URLs(0), Replicas: 3})
	const commands, perCommand = 60, 100 // more than a read buffers at once
	for i := range commands {
		if _, err := appendAsClients(t.Context(), l, request("north", fmt.Sprintf("k-%d", i), perCommand)); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	n, stopped := 0, ""
	var readErr error
	for e, err := range l.Read(ctx, events.ReadOptions{Provider: "north"}) {
		if err != nil {
			readErr = err
			break
		}
		n++
		if e.Position != uint64(n) {
			t.Fatalf("event %d has position %d", n, e.Position)
		}
		if n == 1 {
			stopped = stopConsumerHost(t, c, l)
		}
	}
	t.Logf("stopped %s, the host of the read's consumer; the read gave %d of %d events, then %v", stopped, n, commands*perCommand, readErr)
	var corrupt *events.CorruptEvent
	if errors.As(readErr, &corrupt) {
		t.Fatalf("a healthy store was reported damaged: %v", readErr)
	}
	if readErr == nil && n != commands*perCommand {
		t.Fatalf("the read ended quietly after %d of %d events", n, commands*perCommand)
	}
}

// stopConsumerHost stops the node that hosts the read's consumer (the one that has delivered
// most; earlier reads leave theirs behind) and returns its name.
func stopConsumerHost(t *testing.T, c *natstest.Cluster, l *natslog.Log) string {
	t.Helper()
	st, err := l.JetStream().Stream(t.Context(), l.StreamName())
	if err != nil {
		t.Fatal(err)
	}
	var host string
	var most uint64
	for info := range st.ListConsumers(t.Context()).Info() {
		if info.Cluster != nil && info.Cluster.Leader != "" && info.Delivered.Stream >= most {
			host, most = info.Cluster.Leader, info.Delivered.Stream
		}
	}
	if host == "" {
		t.Fatal("no consumer with a host")
	}
	c.Stop(c.Node(host))
	return host
}
