package api_test

import (
	"net/http"
	"testing"
)

// TestRefusalsDoNotGrowAChain sends 2,000 forbidden reads of a provider's audit trail with a
// WSTA token, as seen from outside: the provider's history does not grow, the token is answered
// 429 with Retry-After once past the limit, and an auditor sees every refusal, counted.
func TestRefusalsDoNotGrowAChain(t *testing.T) {
	ls := startServer(t)
	head := func() uint64 {
		h, err := ls.store.Head(t.Context(), "north")
		if err != nil {
			t.Fatal(err)
		}
		return h.Sequence
	}
	start := head()
	statuses := map[int]int{}
	for range 2000 {
		r := ls.get(t, "wsta", "/v1/audit?provider=north")
		statuses[r.status]++
		if r.status == http.StatusTooManyRequests && r.header.Get("Retry-After") == "" {
			t.Fatal("429 without Retry-After")
		}
	}
	if statuses[http.StatusForbidden] != 50 || statuses[http.StatusTooManyRequests] != 1950 {
		t.Fatalf("statuses %v; want 50 refused with 403, then 429", statuses)
	}
	if head() != start {
		t.Fatalf("the refusals grew north's history from sequence %d to %d", start, head())
	}
	body := ls.get(t, "auditor", "/v1/refusals?provider=north").json(t)
	recs := body["refusals"].([]any)
	if body["total"] != float64(2000) || len(recs) != 1 {
		t.Fatalf("the auditor sees %v refusals in %d records; want 2000 in one", body["total"], len(recs))
	}
	rec := recs[0].(map[string]any)
	if rec["route"] != "GET /v1/audit" || rec["role"] != "wsta" || rec["first"] == rec["last"] {
		t.Fatalf("record %v", rec)
	}
	if r := ls.get(t, "cm", "/v1/refusals?provider=north"); r.status != http.StatusForbidden {
		t.Fatalf("a case manager read the refusals: %d", r.status)
	}
}
