package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/wsledger/wsledger/domain"
)

func TestFeed(t *testing.T) {
	ls := startServer(t)
	ls.mustSubmit(t, "cm", call)
	today := domain.DateOf(time.Now()).String()
	ls.mustSubmit(t, "cm", `{"type":"ResolveConcern","provider":"north","idempotency_key":"resolve-1","concern_id":"Q1","clno_date":"`+today+`","summary":"Explained.","level":"case_manager"}`)

	var notices []any
	for deadline := time.Now().Add(10 * time.Second); len(notices) < 2 && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		r := ls.get(t, "wsta", "/v1/feed?provider=north")
		if r.status != http.StatusOK {
			t.Fatalf("feed: %d %s", r.status, r.body)
		}
		notices, _ = r.json(t)["notices"].([]any)
	}
	// The roster the fixture submitted, then the resolved concern with the client number.
	if len(notices) != 2 || !strings.Contains(ls.get(t, "wsta", "/v1/feed").json(t)["notices"].([]any)[1].(map[string]any)["subject"].(string), "concern_resolved") {
		t.Fatalf("notices %v", notices)
	}
	last := notices[1].(map[string]any)
	if p := last["notice"].(map[string]any)["event"].(map[string]any)["payload"].(map[string]any); p["client_number"] != "12345678" || p["clno_date"] != today {
		t.Fatalf("notice payload %v", p)
	}
	if r := ls.get(t, "wsta", "/v1/feed?provider=north&after=1").json(t); len(r["notices"].([]any)) != 1 {
		t.Fatalf("paging after 1: %v", r)
	}
	// The notice's delivery state: once WSTA's mail server accepted the e-mail, the feed says so.
	ls.mustSubmit(t, "admin", `{"type":"RecordWSTANoticeDelivered","provider":"north","idempotency_key":"notice-1","concern_id":"Q1","message_id":"<wsta-notice.1@north.example>","to":"wsta@example.gov"}`)
	for deadline := time.Now().Add(10 * time.Second); len(notices) < 3 && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		notices, _ = ls.get(t, "wsta", "/v1/feed?provider=north").json(t)["notices"].([]any)
	}
	if len(notices) != 3 || !strings.HasSuffix(notices[2].(map[string]any)["subject"].(string), ".notice_delivered") {
		t.Fatalf("after the delivery, notices %v", notices)
	}

	for _, tt := range []struct {
		who, path string
		status    int
	}{
		{"cm", "/v1/feed", 200},
		{"cm", "/v1/feed?provider=south", 403},
		{"cmSouth", "/v1/feed?provider=north", 403},
		{"wsta", "/v1/feed?after=x", 400},
	} {
		if r := ls.get(t, tt.who, tt.path); r.status != tt.status {
			t.Errorf("%s %s: %d, want %d", tt.who, tt.path, r.status, tt.status)
		}
	}

	r := ls.do(t, "POST", "/v1/digest?provider=north", ls.tokens["auditor"], nil)
	if r.status != http.StatusCreated || r.json(t)["provider"] != "north" {
		t.Fatalf("publish digest: %d %s", r.status, r.body)
	}
}
