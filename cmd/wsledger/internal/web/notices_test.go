package web

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/projections/wsta"
)

// wstaEvents counts the events of the ledger the manual requires to reach WSTA, of a provider
// ("" for all).
func wstaEvents(t *testing.T, e *env, provider string) int {
	t.Helper()
	n := 0
	for ev, err := range e.store.Read(t.Context(), events.ReadOptions{Provider: provider}) {
		if err != nil {
			t.Fatal(err)
		}
		if kind, _ := wsta.KindOf(ev); kind != "" {
			n++
		}
	}
	return n
}

// waitFeed waits until the WSTA feed has read the whole log, looking every 10 ms.
func waitFeed(t *testing.T, e *env) {
	t.Helper()
	last, err := e.store.LastSequence(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for e.feed.Position() < last {
		select {
		case <-t.Context().Done():
			t.Fatal("the WSTA feed did not catch up")
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// The WSTA page lists every notice of the providers whose feed the viewer reads, each with its
// delivery state.
func testNoticesPage(t *testing.T, e *env) {
	waitFeed(t, e)
	analyst := e.signedIn(t, "analyst", "wsta", "*")
	res, body := analyst.get("/wsta")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	if got, want := counts(t, body)["notices"], wstaEvents(t, e, ""); got != want || want == 0 {
		t.Errorf("the WSTA page lists %d notices; the ledger holds %d events for WSTA", got, want)
	}
	if !strings.Contains(body, "In WSTA’s feed") || !strings.Contains(body, "Concern resolved") {
		t.Error("the notices do not say their kind and delivery state")
	}
	_, body = analyst.get("/wsta?provider=tongass")
	if got, want := counts(t, body)["notices"], wstaEvents(t, e, "tongass"); got != want {
		t.Errorf("tongass: %d notices listed, %d in the ledger", got, want)
	}
	if strings.Contains(body, "/events/") {
		t.Error("WSTA, which reads no provider's history, is offered event pages")
	}
	pm := e.signedIn(t, "kenai-pm", "program_manager", "kenai")
	if res, _ := pm.get("/wsta?provider=tongass"); res.StatusCode != http.StatusForbidden {
		t.Errorf("kenai's manager reads tongass's notices: status %d", res.StatusCode)
	}
	if res, body := pm.get("/wsta?provider=kenai"); res.StatusCode != http.StatusOK || !strings.Contains(body, "/events/") {
		t.Errorf("kenai's manager on kenai's notices: status %d, links to events %v", res.StatusCode, strings.Contains(body, "/events/"))
	}
}
