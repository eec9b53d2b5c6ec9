package api_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/api"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/auth"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/ledger"
	"github.com/wsledger/wsledger/domain"
)

// syncBuffer is a log destination the server's goroutines may share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// loggedServer serves a second API over ls's ledger and tokens whose log goes to logs.
func loggedServer(t *testing.T, ls *ledgerServer, logs *syncBuffer) *ledgerServer {
	t.Helper()
	tokens, err := auth.OpenTokens(t.Context(), ls.store.JetStream(), 1, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	srv := api.New(api.Config{Log: ls.store, Service: ledger.New(ls.store, domain.DefaultPolicy(), time.Now), Tokens: tokens,
		JetStream: ls.store.JetStream(), Version: "test", Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	logged := &ledgerServer{Server: httptest.NewServer(srv), store: ls.store, tokens: ls.tokens}
	t.Cleanup(logged.Close)
	return logged
}

func TestNoPersonalDataLeaks(t *testing.T) {
	var logs syncBuffer
	ls := loggedServer(t, startServer(t), &logs)
	clients := []string{"90817263", "55501234", "70707070"}

	var refusals []string
	for i, c := range clients {
		ls.mustSubmit(t, "cm", fmt.Sprintf(`{"type":"ReceiveClientCall","provider":"north","concern_id":"P%d","client_number":%q,"summary":"late payment"}`, i, c))
		for _, bad := range []struct{ who, command string }{
			{"cm", fmt.Sprintf(`{"type":"ReceiveClientCall","provider":"north","concern_id":"P%d","client_number":%q,"summary":"again"}`, i, c)},
			{"cm", fmt.Sprintf(`{"type":"ReceiveClientCall","provider":"south","concern_id":"P%d","client_number":%q,"summary":"s"}`, i, c)},
			{"auditor", fmt.Sprintf(`{"type":"ReceiveClientCall","provider":"north","concern_id":"Q%d","client_number":%q,"summary":"s"}`, i, c)},
			{"cm", fmt.Sprintf(`{"type":"ReturnClientCall","provider":"north","concern_id":"P%d","client_number":%q}`, i, c)},
			{"cm", fmt.Sprintf(`{"type":"ReceiveClientCall","provider":"north","concern_id":%q,"client_number":%q,"summary":"s"}`, c+".x", c)},
			{"cm", fmt.Sprintf(`{"type":"ReceiveClientCall","provider":"north","concern_id":"Q%d","client_number":"%sx","summary":"s"}`, i, c)},
			{"cm", fmt.Sprintf(`{"type":"ReceiveClientCall","provider":"north","concern_id":"Q%d","client_number":%s,"summary":"s"}`, i, c)},
			{"cm", fmt.Sprintf(`{"type":"ReceiveClientCall","provider":"north","concern_id":"Q%d","client_number":%q,"summary":"s"} %s`, i, c, c)},
		} {
			r := ls.submit(t, bad.who, bad.command)
			if r.status < 400 || r.status >= 500 {
				t.Errorf("status %d for a bad command: %s", r.status, r.body)
			}
			refusals = append(refusals, string(r.body))
		}
		ls.mustSubmit(t, "cm", fmt.Sprintf(`{"type":"ReturnClientCall","provider":"north","concern_id":"P%d"}`, i))
	}
	t.Run("an unknown field named after a client number", func(t *testing.T) {
		r := ls.submit(t, "cm", `{"type":"ReceiveClientCall","provider":"north","concern_id":"Q9","client_number":"90817263","summary":"s","c90817263":1}`)
		if strings.Contains(string(r.body), "90817263") {
			t.Errorf("the refusal repeats the client number: %s", r.body)
		}
	})
	t.Run("an actor staff id that is a client number", func(t *testing.T) {
		r := ls.submit(t, "cm", `{"type":"ReceiveClientCall","provider":"north","actor":{"staff_id":"90817263","role":"case_manager"},"concern_id":"Q9","client_number":"90817263","summary":"s"}`)
		if strings.Contains(string(r.body), "90817263") {
			t.Errorf("the refusal repeats the client number: %s", r.body)
		}
	})
	if len(logs.String()) == 0 {
		t.Fatal("the server logged nothing: the capture does not see its log")
	}

	metrics := ls.get(t, "", "/metrics")
	stream, err := ls.store.JetStream().Stream(t.Context(), ls.store.StreamName())
	if err != nil {
		t.Fatal(err)
	}
	info, err := stream.Info(t.Context(), jetstream.WithSubjectFilter("ledger.>"))
	if err != nil {
		t.Fatal(err)
	}
	var subjects []string
	for s := range info.State.Subjects {
		subjects = append(subjects, s)
	}
	if len(subjects) == 0 {
		t.Fatal("the stream lists no subjects under ledger.>")
	}

	places := map[string]string{
		"subjects": strings.Join(subjects, "\n"),
		"log":      logs.String(),
		"metrics":  string(metrics.body),
		"refusals": strings.Join(refusals, "\n"),
	}
	for place, text := range places {
		for _, c := range clients {
			if i := strings.Index(text, c); i >= 0 {
				t.Errorf("client number %s appears in the %s: %q", c, place, text[max(0, i-120):min(len(text), i+40)])
			}
		}
	}
	t.Logf("%d refusals, %d subjects, %d bytes of log and %d of metrics checked for %d client numbers",
		len(refusals), len(subjects), len(logs.String()), len(metrics.body), len(clients))
}
