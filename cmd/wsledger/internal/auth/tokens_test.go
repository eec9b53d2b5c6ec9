package auth_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/auth"
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
