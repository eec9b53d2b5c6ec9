package natsauth_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/ledger"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/natsauth"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/store"
	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/projections/wsta"
)

// The default access configuration and WSTA password an earlier version wrote: the wsta user
// in the ledger's account.
const (
	earlierConfig   = "testdata/earlier-nats-access.conf"
	earlierPassword = "testdata/earlier-nats-wsta.password"
)

func copyFile(t *testing.T, from, to string) []byte {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return b
}

// runFeed publishes the WSTA feed of s on js until the test ends, and waits until sub has
// received the notice of the first WSTA event.
func runFeed(t *testing.T, s *store.Store, js jetstream.JetStream, sub *nats.Subscription) *nats.Msg {
	t.Helper()
	f, err := wsta.New(t.Context(), s, js, wsta.Options{Stream: natsauth.FeedStream})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.WithoutCancel(t.Context()))
	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	m, err := sub.NextMsg(30 * time.Second)
	if err != nil {
		t.Fatalf("no notice reached the feed: %v", err)
	}
	return m
}

// TestEarlierDataDirectory opens a data directory an earlier version used: its default access
// configuration kept the wsta user, and its WSTA stream, in the ledger's account. The
// configuration is rewritten (the earlier one kept beside it, the WSTA password unchanged), the
// feed is built again in the feed's account from the ledger, and the earlier WSTA stream is left
// as it was.
func TestEarlierDataDirectory(t *testing.T) {
	dir := t.TempDir()
	s := openListening(t, dir, "")
	register(t, s)
	svc := ledger.New(s.Log, domain.DefaultPolicy(), time.Now)
	if _, err := svc.Submit(t.Context(), []byte(`{"type":"SubmitStaffRoster","provider":"north","actor":{"staff_id":"pm1","role":"program_manager"},"month":"2026-03","staff":[
		{"staff_id":"pm1","name":"Pat","role":"program_manager"}]}`)); err != nil {
		t.Fatal(err)
	}
	// The feed as earlier versions published it: on the ledger's own connection.
	old, err := s.Conn().SubscribeSync(natsauth.FeedSubjects)
	if err != nil {
		t.Fatal(err)
	}
	runFeed(t, s, s.JetStream(), old)
	s.Close()

	config := filepath.Join(dir, natsauth.DefaultConfigFile)
	earlier := copyFile(t, earlierConfig, config)
	copyFile(t, earlierPassword, filepath.Join(dir, natsauth.WSTAPasswordFile))
	s = openListening(t, dir, "")
	if s.Access.Upgraded == nil {
		t.Fatal("the earlier default configuration was not rewritten")
	}
	if kept, err := os.ReadFile(s.Access.Upgraded.Backup); err != nil || !bytes.Equal(kept, earlier) {
		t.Fatalf("the earlier configuration was not kept as it was at %s: %v", s.Access.Upgraded.Backup, err)
	}
	if _, err := natsauth.Prepare(dir, ""); err != nil {
		t.Fatalf("the rewritten configuration does not pass the check: %v", err)
	}

	sub, err := s.FeedConn().SubscribeSync(natsauth.FeedSubjects)
	if err != nil {
		t.Fatal(err)
	}
	if m := runFeed(t, s, s.FeedJetStream(), sub); m.Subject != "wsta.north.staff_roster" {
		t.Fatalf("the feed began again with %s, want the roster", m.Subject)
	}
	// WSTA reads it with the password it had, from the feed's account.
	password, err := os.ReadFile(earlierPassword)
	if err != nil {
		t.Fatal(err)
	}
	nc, _ := connect(t, s, natsauth.WSTAUser, strings.TrimSpace(string(password)))
	js, _ := jetstream.New(nc)
	feed, err := js.Stream(t.Context(), natsauth.FeedStream)
	if err != nil || feed.CachedInfo().State.Msgs != 1 {
		t.Fatalf("wsta reading the feed: %v", err)
	}
	// The earlier WSTA stream, in the ledger's account, is as it was.
	kept, err := s.JetStream().Stream(t.Context(), natsauth.FeedStream)
	if err != nil || kept.CachedInfo().State.Msgs != 1 {
		t.Fatalf("the earlier WSTA stream: %v", err)
	}

	// Removed as docs/operations.md says, with wsledger stopped: the ledger and the new feed
	// are untouched.
	nc.Close()
	s.Close()
	if err := os.RemoveAll(filepath.Join(dir, "jetstream", natsauth.Account, "streams", natsauth.FeedStream)); err != nil {
		t.Fatal(err)
	}
	s = openListening(t, dir, "")
	if _, err := s.JetStream().Stream(t.Context(), natsauth.FeedStream); err == nil {
		t.Fatal("the earlier WSTA stream is still there")
	}
	if feed, err := s.FeedJetStream().Stream(t.Context(), natsauth.FeedStream); err != nil || feed.CachedInfo().State.Msgs != 1 {
		t.Fatalf("the feed after removing the earlier stream: %v", err)
	}
	if head, err := s.Head(t.Context(), "north"); err != nil || head.Position != 2 {
		t.Fatalf("the ledger after removing the earlier stream: %+v, %v", head, err)
	}
}

// TestEditedEarlierConfiguration: an earlier default configuration someone changed is not
// rewritten; it is refused, naming the line of the user in the ledger's account.
func TestEditedEarlierConfiguration(t *testing.T) {
	dir := t.TempDir()
	config := filepath.Join(dir, natsauth.DefaultConfigFile)
	earlier := copyFile(t, earlierConfig, config)
	edited := append(bytes.Clone(earlier), "# reviewed\n"...)
	if err := os.WriteFile(config, edited, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := natsauth.Prepare(dir, "")
	if err == nil || !strings.Contains(err.Error(), "line 17: user wsta is in the account LEDGER") {
		t.Fatalf("got %v, want the wsta user's line refused", err)
	}
	if now, _ := os.ReadFile(config); !bytes.Equal(now, edited) {
		t.Fatal("an edited configuration was rewritten")
	}
	if _, err := os.Stat(config + natsauth.UpgradeBackupSuffix); err == nil {
		t.Fatal("an edited configuration was copied as if rewritten")
	}
}
