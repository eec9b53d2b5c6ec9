package web

import (
	"bufio"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// A change to a provider reaches the open pages of that provider within a second, and only
// theirs.
func testLiveChangesArriveWithinASecond(t *testing.T, e *env) {
	viewer := e.signedIn(t, "tongass-pm", "program_manager", "tongass")
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, e.srv.URL+"/live?scope=provider:tongass", nil)
	res, err := viewer.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("live: status %d, type %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	changes := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(res.Body)
		event := ""
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				event = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: ") && event == "change":
				changes <- strings.TrimPrefix(line, "data: ")
			}
		}
		close(changes)
	}()

	// Another provider's change is not sent; this provider's is.
	for _, provider := range []string{"northstar", "tongass"} {
		f := e.openFinding(t, provider)
		actor := e.signedIn(t, provider+"-pm", "program_manager", provider)
		sent := time.Now()
		res, _ := actor.post("/providers/"+provider+"/corrections", url.Values{"finding_id": {f.FindingID}, "note": {"Corrected."}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("correction for %s: status %d", provider, res.StatusCode)
		}
		if provider == "northstar" {
			continue
		}
		select {
		case got := <-changes:
			if got != "tongass" {
				t.Fatalf("the tongass page was told %q changed", got)
			}
			if d := time.Since(sent); d > time.Second {
				t.Errorf("the change arrived after %v, want within a second", d)
			}
		case <-time.After(2 * time.Second):
			t.Fatal("no change arrived")
		}
	}
}
