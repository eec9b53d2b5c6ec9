package api_test

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/api"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/auth"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/ledger"
	"github.com/wsledger/wsledger/domain"
)

// tokenID is a token's id: the first 16 hex digits of its SHA-256.
func tokenID(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])[:16]
}

// openStream opens GET /v1/events of a provider at url and returns the ids of the events it
// delivers, closed when the server ends the stream.
func openStream(t *testing.T, url, token, provider string) <-chan string {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), "GET", url+"/v1/events?provider="+provider, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /v1/events: %d", res.StatusCode)
	}
	ids := make(chan string, 100)
	sc := bufio.NewScanner(res.Body)
	sc.Scan() // the opening comment: subscribed
	go func() {
		defer res.Body.Close()
		defer close(ids)
		for sc.Scan() {
			if id, ok := strings.CutPrefix(sc.Text(), "id: "); ok {
				ids <- id
			}
		}
	}()
	return ids
}

// await reads ids until want; the stream must not end first.
func await(t *testing.T, ids <-chan string, want string) {
	t.Helper()
	for id := range ids {
		if id == want {
			return
		}
	}
	t.Fatalf("the stream ended before delivering %s", want)
}

// sequenceOf submits a command and returns its sequence as the stream names it.
func (ls *ledgerServer) sequenceOf(t *testing.T, who, command string) string {
	t.Helper()
	return fmt.Sprint(ls.mustSubmit(t, who, command).json(t)["sequence"])
}

func callCommand(n int) string {
	return fmt.Sprintf(`{"type":"ReceiveClientCall","provider":"north","idempotency_key":"rv-%d","concern_id":"RV%d","client_number":"12345678","summary":"benefit late"}`, n, n)
}

// TestRevocationEndsOpenStreams revokes a token while it holds an open event stream on this
// process and on another one with its own token watch (as a second wsledger process on the
// same cluster has). Once the revocation is answered, this process's stream has ended and
// delivers nothing appended after; the other process's ends as soon as its watch has seen the
// revocation, and delivers nothing appended after that.
func TestRevocationEndsOpenStreams(t *testing.T) {
	ls := startServer(t)
	other := otherProcess(t, ls)

	here := openStream(t, ls.URL, ls.tokens["cm"], "north")
	there := openStream(t, other.URL, ls.tokens["cm"], "north")
	seqA := ls.sequenceOf(t, "pm", callCommand(1))
	await(t, here, seqA)
	await(t, there, seqA)

	r := ls.do(t, "POST", "/v1/tokens/"+tokenID(ls.tokens["cm"])+"/revoke", ls.tokens["admin"], nil)
	if r.status != http.StatusOK {
		t.Fatalf("revoke: %d %s", r.status, r.body)
	}
	seqB := ls.sequenceOf(t, "pm", callCommand(2))
	for id := range here {
		t.Fatalf("this process delivered %s after the revocation was answered (B is %s)", id, seqB)
	}
	<-other.tokens.Revoked(tokenID(ls.tokens["cm"])) // the other process's watch saw it
	seqC := ls.sequenceOf(t, "pm", callCommand(3))
	for id := range there {
		if id == seqC {
			t.Fatalf("the other process delivered %s after its watch saw the revocation", id)
		}
	}
	if got := ls.get(t, "cm", "/v1/whoami").status; got != http.StatusUnauthorized {
		t.Fatalf("the revoked token still answers %d", got)
	}
}

// anotherProcess is a second API over the same store with its own NATS connection and its own
// token watch.
type anotherProcess struct {
	*httptest.Server
	tokens *auth.Tokens
}

func otherProcess(t *testing.T, ls *ledgerServer) anotherProcess {
	t.Helper()
	nc, err := nats.Connect("", append(ls.store.Access.ConnectOptions(), nats.InProcessServer(ls.store.Server()))...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := auth.OpenTokens(t.Context(), js, 1, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	go tokens.Watch(t.Context())
	srv := httptest.NewServer(api.New(api.Config{Log: ls.store, Service: ledger.New(ls.store, domain.DefaultPolicy(), time.Now), Tokens: tokens}))
	t.Cleanup(srv.Close)
	return anotherProcess{Server: srv, tokens: tokens}
}
