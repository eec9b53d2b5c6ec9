package api_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/auth"
)

// TestStreamsAreBounded opens event streams as one case manager would, 1,010 times: 8 stay
// open and the others are refused with 429 and Retry-After. Case managers of other tokens fill
// the server's total (20 here) and are then answered 503, while an auditor's and a program
// manager's streams still open and deliver.
func TestStreamsAreBounded(t *testing.T) {
	ls := startServer(t)
	status := map[int]int{}
	var open []*http.Response
	try := func(token string) int {
		req, _ := http.NewRequestWithContext(t.Context(), "GET", ls.URL+"/v1/events?provider=north", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode == http.StatusOK {
			open = append(open, res)
		} else {
			if res.Header.Get("Retry-After") == "" {
				t.Fatalf("%d without Retry-After", res.StatusCode)
			}
			res.Body.Close()
		}
		return res.StatusCode
	}
	t.Cleanup(func() {
		for _, res := range open {
			res.Body.Close()
		}
	})
	for range 1010 {
		status[try(ls.tokens["cm"])]++
	}
	if status[http.StatusOK] != 8 || status[http.StatusTooManyRequests] != 1002 {
		t.Fatalf("one token's streams: %v; want 8 open, 1002 refused", status)
	}
	status = map[int]int{}
	for i := range 3 {
		tok, _, err := ls.auth.Create(t.Context(), auth.Grant{StaffID: fmt.Sprintf("cmx%d", i), Role: "case_manager", Provider: "north"})
		if err != nil {
			t.Fatal(err)
		}
		for range 8 {
			status[try(tok)]++
		}
	}
	if status[http.StatusOK] != 12 || status[http.StatusServiceUnavailable] != 12 {
		t.Fatalf("other case managers' streams: %v; want 12 open (20 in all), 12 refused", status)
	}
	for _, who := range []string{"auditor", "pm"} {
		ids := openStream(t, ls.URL, ls.tokens[who], "north")
		await(t, ids, ls.sequenceOf(t, "pm", callCommand(len(who))))
	}
}
