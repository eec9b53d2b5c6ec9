package auth_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/auth"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/natsauth"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/store"
)

func openTokens(t *testing.T) *auth.Tokens {
	t.Helper()
	s, err := store.Open(t.Context(), store.Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	tokens, err := auth.OpenTokens(t.Context(), s.JetStream(), 1, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	return tokens
}

func TestTokens(t *testing.T) {
	tokens := openTokens(t)
	ctx := t.Context()
	token, rec, err := tokens.Create(ctx, auth.Grant{StaffID: "cm1", Role: "case_manager", Provider: "north", Label: "Casey"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(token, "wsl_") || strings.Contains(rec.Hash, token) || rec.ID != rec.Hash[:16] {
		t.Fatalf("token %q, record %+v", token, rec)
	}
	p, err := tokens.Authenticate(ctx, token)
	want := auth.Principal{TokenID: rec.ID, StaffID: "cm1", Role: "case_manager", Provider: "north"}
	if err != nil || p != want {
		t.Fatalf("Authenticate = %+v, %v; want %+v", p, err, want)
	}

	for _, bad := range []string{"", "Bearer " + token, token + "x", "wsl_" + strings.Repeat("A", 43), strings.Repeat("x", 500)} {
		if _, err := tokens.Authenticate(ctx, bad); !errors.Is(err, auth.ErrUnauthenticated) {
			t.Errorf("Authenticate(%.20q) = %v, want ErrUnauthenticated", bad, err)
		}
	}

	list, err := tokens.List(ctx)
	if err != nil || len(list) != 1 || list[0].ID != rec.ID {
		t.Fatalf("List = %+v, %v", list, err)
	}
	if _, err := tokens.Revoke(ctx, rec.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := tokens.Authenticate(ctx, token); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Fatalf("a revoked token authenticated: %v", err)
	}
	if list, _ := tokens.List(ctx); len(list) != 1 || list[0].RevokedAt.IsZero() {
		t.Fatalf("revoked token not listed as revoked: %+v", list)
	}
	if _, err := tokens.Revoke(ctx, "0123456789abcdef"); !errors.Is(err, auth.ErrNoSuchToken) {
		t.Fatalf("Revoke(unknown) = %v", err)
	}
	if _, _, err := tokens.Create(ctx, auth.Grant{StaffID: "cm1", Role: "case_manager", Provider: "*"}); err == nil {
		t.Fatal("a case manager token spanning providers was issued")
	}
}

func TestWatchedTokensAnswerWithoutAskingTheServer(t *testing.T) {
	s, err := store.Open(t.Context(), store.Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	ctx := t.Context()
	serving, err := auth.OpenTokens(ctx, s.JetStream(), 1, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	other, err := auth.OpenTokens(ctx, s.JetStream(), 1, time.Now) // as the token command would
	if err != nil {
		t.Fatal(err)
	}
	early, earlyRec, err := other.Create(ctx, auth.Grant{StaffID: "cm1", Role: "case_manager", Provider: "north"})
	if err != nil {
		t.Fatal(err)
	}
	go serving.Watch(ctx)

	conn := s.JetStream().Conn()
	asks := func(token string) (uint64, error) {
		before := conn.Stats().OutMsgs
		_, err := serving.Authenticate(ctx, token)
		return conn.Stats().OutMsgs - before, err
	}
	deadline := time.Now().Add(time.Minute) // a guard: the watch reads what the bucket holds first
	for {
		n, err := asks(early)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("Authenticate still asks the server a minute after the watch began")
		}
		time.Sleep(10 * time.Millisecond)
	}
	for range 100 {
		if n, err := asks(early); n != 0 || err != nil {
			t.Fatalf("a watched token: %d messages to the server, %v", n, err)
		}
	}

	// A token created by another process after the watch caught up is accepted at once.
	late, lateRec, err := other.Create(ctx, auth.Grant{StaffID: "cm2", Role: "case_manager", Provider: "north"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := serving.Authenticate(ctx, late); err != nil {
		t.Fatalf("a token created elsewhere a moment ago: %v", err)
	}

	// A revocation by another process reaches the watching one.
	if _, err := other.Revoke(ctx, earlyRec.ID); err != nil {
		t.Fatal(err)
	}
	refusedWithin(t, serving, early, time.Minute)

	// A token deleted from the bucket by hand is refused too, and so is an unknown one.
	kv, err := s.JetStream().KeyValue(ctx, natsauth.TokenBucket)
	if err != nil {
		t.Fatal(err)
	}
	if err := kv.Delete(ctx, lateRec.ID); err != nil {
		t.Fatal(err)
	}
	refusedWithin(t, serving, late, time.Minute)
	if _, err := serving.Authenticate(ctx, "wsl_"+strings.Repeat("A", 43)); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Fatalf("an unknown token: %v", err)
	}
}

func TestRevokeIsRefusedAtOnceByTheWatchingProcess(t *testing.T) {
	tokens := openTokens(t)
	ctx := t.Context()
	go tokens.Watch(ctx)
	for i := range 20 {
		token, rec, err := tokens.Create(ctx, auth.Grant{StaffID: "cm1", Role: "case_manager", Provider: "north"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tokens.Authenticate(ctx, token); err != nil {
			t.Fatalf("token %d: %v", i, err)
		}
		if _, err := tokens.Revoke(ctx, rec.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := tokens.Authenticate(ctx, token); !errors.Is(err, auth.ErrUnauthenticated) {
			t.Fatalf("token %d authenticated right after its revocation: %v", i, err)
		}
	}
}

// refusedWithin waits until the token is refused; limit is a guard against a change never heard
// of, not a measure of how fast it is heard.
func refusedWithin(t *testing.T, tokens *auth.Tokens, token string, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		_, err := tokens.Authenticate(t.Context(), token)
		if errors.Is(err, auth.ErrUnauthenticated) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("still accepted %v after the change: %v", limit, err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
