package cli_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

var natsAt = regexp.MustCompile(`NATS clients: (nats://\S+)`)

// collectErrors returns an option that sends a connection's asynchronous errors, such as the
// server's permission violations, to the channel.
func collectErrors() (<-chan error, nats.Option) {
	errs := make(chan error, 16)
	return errs, nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
		select {
		case errs <- err:
		default:
		}
	})
}

// wantViolation waits for the server to report a permission violation on subject.
func wantViolation(t *testing.T, violations <-chan error, subject string) {
	t.Helper()
	select {
	case err := <-violations:
		if !errors.Is(err, nats.ErrPermissionViolation) || !strings.Contains(err.Error(), subject) {
			t.Errorf("got %v, want a violation for %s", err, subject)
		}
	case <-time.After(5 * time.Second):
		t.Errorf("no violation for %s", subject)
	}
}

// TestWSTAOverNATS connects as the WSTA user of the default access configuration, the way an
// analyst's nats CLI does, and reads the feed; what the user may not do is refused.
func TestWSTAOverNATS(t *testing.T) {
	s := serveDemo(t, "--nats-listen", "127.0.0.1:-1")
	url := natsAt.FindStringSubmatch(s.stderr.String())
	if url == nil {
		t.Fatalf("serve did not say where NATS listens:\n%s", s.stderr)
	}
	password, err := os.ReadFile(filepath.Join(s.dir, "nats-wsta.password"))
	if err != nil {
		t.Fatal(err)
	}
	violations, collect := collectErrors()
	nc, err := nats.Connect(url[1], nats.UserInfo("wsta", strings.TrimSpace(string(password))), nats.Timeout(30*time.Second), collect)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("a durable consumer reads resolved concerns with the client number and CLNO date", func(t *testing.T) {
		cons, err := js.CreateOrUpdateConsumer(t.Context(), "WSTA", jetstream.ConsumerConfig{
			Durable: "wsta-analyst", FilterSubject: "wsta.kenai.concern_resolved", AckPolicy: jetstream.AckExplicitPolicy,
		})
		if err != nil {
			t.Fatal(err)
		}
		var m jetstream.Msg
		for deadline := time.Now().Add(30 * time.Second); m == nil && time.Now().Before(deadline); {
			batch, err := cons.Fetch(1, jetstream.FetchMaxWait(time.Second))
			if err != nil {
				t.Fatal(err)
			}
			for msg := range batch.Messages() {
				m = msg
			}
		}
		if m == nil {
			t.Fatal("no resolved concern reached WSTA within 30s")
		}
		var notice struct {
			Kind  string `json:"kind"`
			Event struct {
				Payload struct {
					ClientNumber string `json:"client_number"`
					CLNODate     string `json:"clno_date"`
				} `json:"payload"`
			} `json:"event"`
		}
		if err := json.Unmarshal(m.Data(), &notice); err != nil {
			t.Fatal(err)
		}
		p := notice.Event.Payload
		if notice.Kind != "concern_resolved" || len(p.ClientNumber) != 8 || len(p.CLNODate) != len("2026-01-02") {
			t.Fatalf("notice %s", m.Data())
		}
		if err := m.Ack(); err != nil {
			t.Fatal(err)
		}
	})

	refused := []struct {
		name, subject string
		try           func() error
	}{
		{"publish an event", "ledger.kenai", func() error { return nc.Publish("ledger.kenai.concern.x", []byte("{}")) }},
		{"forge a notice", "wsta.kenai", func() error { return nc.Publish("wsta.kenai.concern_resolved", []byte("{}")) }},
		{"delete the ledger stream", "$JS.API.STREAM.DELETE.LEDGER", func() error {
			_, err := nc.Request("$JS.API.STREAM.DELETE.LEDGER", nil, 300*time.Millisecond)
			return err
		}},
		{"purge the ledger stream", "$JS.API.STREAM.PURGE.LEDGER", func() error {
			_, err := nc.Request("$JS.API.STREAM.PURGE.LEDGER", nil, 300*time.Millisecond)
			return err
		}},
		{"delete the WSTA stream", "$JS.API.STREAM.DELETE.WSTA", func() error {
			_, err := nc.Request("$JS.API.STREAM.DELETE.WSTA", nil, 300*time.Millisecond)
			return err
		}},
	}
	for _, tt := range refused {
		t.Run("wsta may not "+tt.name, func(t *testing.T) {
			_ = tt.try()
			_ = nc.Flush()
			wantViolation(t, violations, tt.subject)
		})
	}
}
