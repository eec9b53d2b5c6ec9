package mailer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/ledger"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/mailtest"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/store"
	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
)

const (
	testClient = "55501234"
	wstaBox    = "wsta@wsta.example.gov"
)

// ledgerWithResolution opens a store with a provider whose concern K1 was resolved two hours
// ago, documented in the CLNO today.
func ledgerWithResolution(t *testing.T) (*store.Store, *ledger.Service) {
	t.Helper()
	st, err := store.Open(t.Context(), store.Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	svc := ledger.New(st, domain.DefaultPolicy(), time.Now)
	ago := func(d time.Duration) string { return time.Now().Add(-d).Format(time.RFC3339) }
	cm := `"actor":{"staff_id":"cm1","role":"case_manager"}`
	for _, c := range []string{
		`{"type":"RegisterProvider","provider":"north","actor":{"staff_id":"ad1","role":"admin"},"name":"North","region":"r","occurred_at":"` + ago(48*time.Hour) + `"}`,
		`{"type":"ReceiveClientCall","provider":"north",` + cm + `,"concern_id":"K1","client_number":"` + testClient + `","summary":"s","occurred_at":"` + ago(3*time.Hour) + `"}`,
		`{"type":"ResolveConcern","provider":"north",` + cm + `,"concern_id":"K1","clno_date":"` + clnoDate() + `","summary":"Explained the sanction.","level":"supervisor","occurred_at":"` + ago(2*time.Hour) + `"}`,
	} {
		if _, err := svc.Submit(t.Context(), []byte(c)); err != nil {
			t.Fatalf("%s: %v", c, err)
		}
	}
	return st, svc
}

// clnoDate is the Alaska date of two hours ago, the resolution's.
func clnoDate() string { return domain.DateOf(time.Now().Add(-2 * time.Hour)).String() }

// running runs a mailer until the test ends (or stop is called) and returns what Run returned.
func running(t *testing.T, m *Mailer) (stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	var once sync.Once
	var err error
	stop = func() error {
		once.Do(func() { cancel(); err = <-done })
		return err
	}
	t.Cleanup(func() { _ = stop() })
	return stop
}

func newMailer(t *testing.T, st *store.Store, svc *ledger.Service, server *mailtest.Server, logger *slog.Logger) *Mailer {
	t.Helper()
	s, err := ParseServer("smtp+insecure://"+server.Addr, "")
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(Config{Log: st, Service: svc, Server: s, To: wstaBox, From: "ledger@north.example",
		MinBackoff: 20 * time.Millisecond, MaxBackoff: 200 * time.Millisecond, Timeout: 10 * time.Second, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// delivered waits for the n-th WSTANoticeDelivered event of the log and returns them.
func delivered(t *testing.T, st *store.Store, n int) []events.Envelope {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	var out []events.Envelope
	err := st.Subscribe(ctx, "north", 1, func(e events.Envelope) error {
		if e.Type == events.TypeWSTANoticeDelivered {
			out = append(out, e)
			if len(out) == n {
				return errEnough
			}
		}
		return nil
	})
	if !errors.Is(err, errEnough) {
		t.Fatalf("%d deliveries recorded, want %d: %v", len(out), n, err)
	}
	return out
}

var errEnough = errors.New("enough")

// noticeDuty returns the WSTA notice duty of K1 as the provider's history gives it now.
func noticeDuty(t *testing.T, st *store.Store) domain.Obligation {
	t.Helper()
	b := domain.NewBook("north", domain.DefaultPolicy())
	for e, err := range st.Read(t.Context(), events.ReadOptions{Provider: "north"}) {
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Apply(e); err != nil {
			t.Fatal(err)
		}
	}
	for _, o := range b.Obligations(time.Now()) {
		if o.ID == domain.ObligationWSTANotice+":K1" {
			return o
		}
	}
	t.Fatal("no WSTA notice duty for K1")
	return domain.Obligation{}
}

// TestNoticeEmailedAndMet: a resolved concern is e-mailed to WSTA with the client number and the
// date of the CLNO entry; the duty is met at the instant the server accepted the message, which
// the ledger records with its Message-ID. A mailer started afterwards has nothing to send.
func TestNoticeEmailedAndMet(t *testing.T) {
	st, svc := ledgerWithResolution(t)
	if o := noticeDuty(t, st); !o.MetAt.IsZero() {
		t.Fatalf("the notice is met (%v) before any e-mail", o.MetAt)
	}
	server := mailtest.Start(t)
	stop := running(t, newMailer(t, st, svc, server, nil))
	rec := delivered(t, st, 1)[0]
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	msgs := server.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want 1", len(msgs))
	}
	m := msgs[0]
	for _, want := range []string{"Client number: " + testClient, "Date of the CLNO entry: " + clnoDate(), "Concern: K1", "supervisor", "Explained the sanction."} {
		if !strings.Contains(m.Body, want) {
			t.Errorf("the e-mail lacks %q:\n%s", want, m.Body)
		}
	}
	if len(m.To) != 1 || m.To[0] != wstaBox || m.From != "ledger@north.example" {
		t.Errorf("from %s to %v", m.From, m.To)
	}
	p, _ := events.Decode(rec)
	got := p.(events.WSTANoticeDelivered)
	if got.MessageID != m.MessageID || !strings.HasSuffix(m.MessageID, "@north.example>") || got.To != wstaBox {
		t.Errorf("recorded %+v for the message %s", got, m.MessageID)
	}
	if rec.OccurredAt.Before(m.AcceptedAt) || rec.OccurredAt.Sub(m.AcceptedAt) > 5*time.Second {
		t.Errorf("recorded accepted at %v; the server accepted at %v", rec.OccurredAt, m.AcceptedAt)
	}
	o := noticeDuty(t, st)
	if !o.MetAt.Equal(rec.OccurredAt) || o.Status(time.Now(), domain.DefaultPolicy()) != domain.StatusMetOnTime {
		t.Errorf("the notice duty is met at %v (%s); want at the accepted instant %v, on time", o.MetAt, o.Status(time.Now(), domain.DefaultPolicy()), rec.OccurredAt)
	}

	again := newMailer(t, st, svc, server, nil)
	stop = running(t, again)
	waitCaughtUp(t, again)
	if n := again.Pending(); n != 0 {
		t.Errorf("a restarted mailer has %d notices to send; the one delivered is recorded", n)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if n := len(server.Messages()); n != 1 {
		t.Errorf("%d messages after a restart, want still 1", n)
	}
}

// waitCaughtUp waits until the mailer has read the log as far as it went when Run began.
func waitCaughtUp(t *testing.T, m *Mailer) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		m.mu.Lock()
		ok := m.caughtUp
		m.mu.Unlock()
		if ok {
			return
		}
	}
	t.Fatal("the mailer never caught up with the log")
}

// attempts is a log handler that counts the mailer's failed attempts to reach the server.
type attempts struct {
	mu     sync.Mutex
	n      int
	failed chan struct{} // closed at the second failure
}

func (a *attempts) Enabled(context.Context, slog.Level) bool { return true }
func (a *attempts) WithAttrs([]slog.Attr) slog.Handler       { return a }
func (a *attempts) WithGroup(string) slog.Handler            { return a }
func (a *attempts) Handle(_ context.Context, r slog.Record) error {
	if strings.HasPrefix(r.Message, "could not send") {
		a.mu.Lock()
		if a.n++; a.n == 2 {
			close(a.failed)
		}
		a.mu.Unlock()
	}
	return nil
}

// TestServerDownThenUp: while WSTA's mail server is down the mailer retries with backoff; once
// it is up the notice is delivered once, with one Message-ID, and the duty met.
func TestServerDownThenUp(t *testing.T) {
	st, svc := ledgerWithResolution(t)
	server := mailtest.Reserve(t)
	log := &attempts{failed: make(chan struct{})}
	running(t, newMailer(t, st, svc, server, slog.New(log)))
	select {
	case <-log.failed:
	case <-time.After(30 * time.Second):
		t.Fatal("the mailer did not try the server that is down")
	}
	server.Up(t)
	rec := delivered(t, st, 1)
	msgs := server.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages after the server came up, want 1", len(msgs))
	}
	p, _ := events.Decode(rec[0])
	if p.(events.WSTANoticeDelivered).MessageID != msgs[0].MessageID {
		t.Errorf("recorded %v for the message %s", p, msgs[0].MessageID)
	}
	if o := noticeDuty(t, st); !o.MetAt.Equal(rec[0].OccurredAt) {
		t.Errorf("the notice duty is met at %v, want %v", o.MetAt, rec[0].OccurredAt)
	}
	log.mu.Lock()
	defer log.mu.Unlock()
	t.Logf("%d failed attempts before the server came up", log.n)
}

// TestStoppedBetweenAcceptanceAndRecord: the mailer stops right after the server accepted the
// message and before the ledger recorded it, as a process killed there would. Started again, it
// sends the notice again: every message the server received for it carries the same Message-ID,
// and the delivery is recorded once.
func TestStoppedBetweenAcceptanceAndRecord(t *testing.T) {
	st, svc := ledgerWithResolution(t)
	server := mailtest.Start(t)
	first := newMailer(t, st, svc, server, nil)
	first.afterAccept = func(id string) error { return fmt.Errorf("killed after %s was accepted", id) }
	if err := first.Run(t.Context()); !errors.Is(err, errStopped) {
		t.Fatalf("the first mailer returned %v, want it stopped after the acceptance", err)
	}
	if n := len(server.Messages()); n != 1 {
		t.Fatalf("%d messages reached the server before the stop, want 1", n)
	}
	if o := noticeDuty(t, st); !o.MetAt.IsZero() {
		t.Fatal("the delivery was recorded although the mailer stopped before recording it")
	}
	running(t, newMailer(t, st, svc, server, nil))
	rec := delivered(t, st, 1)
	msgs, err := server.WaitFor(2, 30*time.Second)
	if err != nil || len(msgs) != 2 {
		t.Fatalf("%d messages, want the first and its repeat (%v)", len(msgs), err)
	}
	p, _ := events.Decode(rec[0])
	for _, m := range msgs {
		if m.MessageID != msgs[0].MessageID || m.MessageID != p.(events.WSTANoticeDelivered).MessageID {
			t.Errorf("Message-IDs %s and %s, recorded %v: want one", msgs[0].MessageID, m.MessageID, p)
		}
	}
}
