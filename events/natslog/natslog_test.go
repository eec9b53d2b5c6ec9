package natslog_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/events/logtest"
	"github.com/wsledger/wsledger/events/natslog"
)

func open(t *testing.T, opts natslog.Options) *natslog.Log {
	t.Helper()
	l, err := natslog.Open(t.Context(), opts)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// embedded returns the suite's harness for the embedded server with the given durability.
func embedded(sync natslog.Sync) logtest.Harness {
	h := harness
	h.New = func(t *testing.T, now func() time.Time) events.Log {
		return open(t, natslog.Options{DataDir: t.TempDir(), Now: now, Sync: sync})
	}
	h.Reopen = func(t *testing.T, l events.Log) events.Log {
		nl := l.(*natslog.Log)
		dir := filepath.Dir(nl.Server().StoreDir())
		nl.Close()
		return open(t, natslog.Options{DataDir: dir, Sync: sync})
	}
	return h
}

var harness = logtest.Harness{
	Raw: func(t *testing.T, msgs []logtest.RawMessage) events.Log {
		l := open(t, natslog.Options{DataDir: t.TempDir()})
		for _, m := range msgs {
			if _, err := l.JetStream().PublishMsg(t.Context(), &nats.Msg{Subject: m.Subject, Data: m.Data}); err != nil {
				t.Fatalf("raw publish: %v", err)
			}
		}
		return l
	},
}

func TestConformance(t *testing.T) {
	t.Run("sync=default", func(t *testing.T) { logtest.Run(t, embedded(natslog.SyncDefault)) })
	t.Run("sync=always", func(t *testing.T) { logtest.Run(t, embedded(natslog.SyncAlways)) })
}
