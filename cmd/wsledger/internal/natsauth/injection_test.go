package natsauth_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/ledger"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/natsauth"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/store"
	"github.com/wsledger/wsledger/domain"
)

// forged is the subject the attacks below aim the server's deliveries at: one the ledger
// stream captures in the ledger's account.
const forged = "ledger.north.provider.forged"

// feedReader is an analyst added beside wsta: it may read and consume the feed stream and
// publish nothing else.
const feedReader = `accounts: { LEDGER: { jetstream: enabled }, FEED: { jetstream: enabled, users: [ {user: analyst, password: "analyst-secret", permissions: {
	publish: { allow: ["$JS.API.INFO", "$JS.API.STREAM.INFO.WSTA", "$JS.API.CONSUMER.CREATE.WSTA", "$JS.API.CONSUMER.CREATE.WSTA.>", "$JS.API.CONSUMER.DURABLE.CREATE.WSTA.>", "$JS.API.CONSUMER.INFO.WSTA.>", "$JS.API.CONSUMER.MSG.NEXT.WSTA.>", "$JS.ACK.WSTA.>"] },
	subscribe: { allow: ["wsta.>", "_INBOX.>"] } } } ] } }`

// TestFeedReadersCannotWriteTheLedger: NATS checks what a user publishes, not where the server
// delivers on its behalf. A reader of the feed asks the server to deliver to a subject in
// ledger.> (a pull request's reply, a push consumer's deliver subject, a JetStream API
// request's reply); the deliveries happen, in the feed's account, and the ledger stream,
// in an account of its own, stores none of them.
func TestFeedReadersCannotWriteTheLedger(t *testing.T) {
	readers := []struct {
		name, config, user string
		password           func(*store.Store) string
	}{
		{"wsta of the default configuration", "", natsauth.WSTAUser, func(s *store.Store) string { return s.Access.Generated.WSTAPassword }},
		{"an analyst added to the feed's account", feedReader, "analyst", func(*store.Store) string { return "analyst-secret" }},
	}
	attacks := []struct {
		name string
		// try makes the server deliver n messages to forged, as the reader nc.
		try func(t *testing.T, nc *nats.Conn, n int)
	}{
		{"a pull request whose reply is in ledger.>", func(t *testing.T, nc *nats.Conn, n int) {
			js, _ := jetstream.New(nc)
			if _, err := js.CreateOrUpdateConsumer(t.Context(), natsauth.FeedStream, jetstream.ConsumerConfig{Durable: "pull", AckPolicy: jetstream.AckNonePolicy}); err != nil {
				t.Fatal(err)
			}
			if err := nc.PublishRequest("$JS.API.CONSUMER.MSG.NEXT.WSTA.pull", forged, []byte(`{"batch":5}`)); err != nil {
				t.Fatal(err)
			}
		}},
		{"a push consumer delivering into ledger.>", func(t *testing.T, nc *nats.Conn, n int) {
			js, _ := jetstream.New(nc)
			if _, err := js.CreateOrUpdatePushConsumer(t.Context(), natsauth.FeedStream, jetstream.ConsumerConfig{
				Durable: "aimed-at-the-ledger", DeliverSubject: forged, AckPolicy: jetstream.AckNonePolicy}); err != nil {
				t.Fatal(err)
			}
		}},
		{"a JetStream API request whose reply is in ledger.>", func(t *testing.T, nc *nats.Conn, n int) {
			for range n {
				if err := nc.PublishRequest("$JS.API.STREAM.INFO.WSTA", forged, nil); err != nil {
					t.Fatal(err)
				}
			}
		}},
	}
	const notices = 5
	for _, r := range readers {
		for _, a := range attacks {
			t.Run(r.name+": "+a.name, func(t *testing.T) {
				dir := t.TempDir()
				config := ""
				if r.config != "" {
					config = filepath.Join(dir, "access.conf")
					if err := os.WriteFile(config, []byte(r.config), 0o600); err != nil {
						t.Fatal(err)
					}
				}
				s := openListening(t, filepath.Join(dir, "data"), config)
				register(t, s)
				if _, err := s.FeedJetStream().CreateStream(t.Context(), jetstream.StreamConfig{Name: natsauth.FeedStream, Subjects: []string{natsauth.FeedSubjects}}); err != nil {
					t.Fatal(err)
				}
				for range notices {
					if _, err := s.FeedJetStream().Publish(t.Context(), "wsta.north.notice", []byte(`{"notice":1}`)); err != nil {
						t.Fatal(err)
					}
				}
				// Interest in the target subject where the feed lives, so that the push consumer
				// delivers, and a witness of every delivery.
				delivered, err := s.FeedConn().SubscribeSync(forged)
				if err != nil {
					t.Fatal(err)
				}
				if err := s.FeedConn().Flush(); err != nil {
					t.Fatal(err)
				}
				nc, _ := connect(t, s, r.user, r.password(s))
				a.try(t, nc, notices)
				if err := nc.Flush(); err != nil {
					t.Fatal(err)
				}
				for i := range notices {
					if _, err := delivered.NextMsg(30 * time.Second); err != nil {
						t.Fatalf("delivery %d of %d to %s: %v (then this test guards nothing)", i+1, notices, forged, err)
					}
				}
				// The ledger stream stores what reaches it in order: had a delivery reached it,
				// the next event would not follow the first at sequence 2.
				wantNext(t, s, 2)
			})
		}
	}
}

// wantNext appends an event through the ledger and fails unless the ledger stream stored it at
// sequence want.
func wantNext(t *testing.T, s *store.Store, want uint64) {
	t.Helper()
	svc := ledger.New(s.Log, domain.DefaultPolicy(), time.Now)
	_, err := svc.Submit(t.Context(), []byte(`{"type":"RegisterProvider","provider":"south","actor":{"staff_id":"ad1","role":"admin"},"name":"South","region":"southcentral"}`))
	got, seqErr := s.LastSequence(t.Context())
	if err != nil || seqErr != nil || got != want {
		t.Fatalf("the next event: %v; the ledger stream's last sequence %d (%v), want %d: it stored what the server delivered for another user", err, got, seqErr, want)
	}
}
