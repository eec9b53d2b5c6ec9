package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
)

// TestDeadlinePages reads the deadlines a page at a time, following next, and compares them with
// one page that holds them all; the counts cover every obligation on every page.
func TestDeadlinePages(t *testing.T) {
	ls := startServer(t)
	seq := ls.mustSubmit(t, "cm", call).json(t)["sequence"]
	wait := fmt.Sprintf("&min_sequence=%v", seq)
	page := func(query string) map[string]any {
		t.Helper()
		r := ls.get(t, "pm", "/v1/deadlines?provider=north"+wait+query)
		if r.status != http.StatusOK {
			t.Fatalf("deadlines%s: %d %s", query, r.status, r.body)
		}
		return r.json(t)
	}
	ids := func(p map[string]any) []string {
		var out []string
		for _, it := range p["items"].([]any) {
			out = append(out, it.(map[string]any)["id"].(string))
		}
		return out
	}
	for _, status := range []string{"all", "unmet", "met"} {
		whole := page("&limit=1000&status=" + status)
		if whole["next"] != nil {
			t.Fatalf("%s: one page of 1000 has a next page", status)
		}
		var got []string
		after, pages := "", 0
		for {
			p := page("&limit=1&status=" + status + after)
			pages++
			if fmt.Sprint(p["counts"]) != fmt.Sprint(whole["counts"]) || p["matched"] != whole["matched"] {
				t.Fatalf("%s page %d: counts %v matched %v, want %v %v", status, pages, p["counts"], p["matched"], whole["counts"], whole["matched"])
			}
			got = append(got, ids(p)...)
			next, ok := p["next"].(string)
			if !ok {
				break
			}
			after = "&after=" + next
		}
		if want := ids(whole); !slices.Equal(got, want) {
			t.Errorf("%s: pages of one gave %v, want %v", status, got, want)
		}
		if status == "unmet" && !slices.Contains(got, "call_return:Q1") {
			t.Errorf("the call just received is not among the unmet obligations: %v", got)
		}
	}
	if p := page(""); len(ids(p)) == 0 || p["matched"].(float64) < float64(len(ids(p))) {
		t.Errorf("the default page: %d items, matched %v", len(ids(p)), p["matched"])
	}
}

func TestDeadlinePageRefusals(t *testing.T) {
	ls := startServer(t)
	for _, tt := range []struct{ query, field string }{
		{"status=late", "status"},
		{"limit=0", "limit"},
		{"limit=ten", "limit"},
		{"limit=1001", "limit"},
		{"after=correction:none", "after"},
	} {
		r := ls.get(t, "pm", "/v1/deadlines?provider=north&"+tt.query)
		e, _ := r.json(t)["error"].(map[string]any)
		if r.status != http.StatusBadRequest || e["field"] != tt.field {
			t.Errorf("%s: %d %s, want 400 naming %s", tt.query, r.status, r.body, tt.field)
		}
	}
}
