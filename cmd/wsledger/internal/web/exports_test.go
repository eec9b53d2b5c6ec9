package web

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/wsledger/wsledger/projections"
)

// The exports hold what their page shows, with its filters and instant, every row of it: CSV
// with one value per cell, JSON as the API answers.
func testExports(t *testing.T, e *env) {
	b := e.signedIn(t, "auditor", "csqa_auditor", "*")
	csvRows := func(path string) [][]string {
		t.Helper()
		res, body := b.get(path)
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment;") {
			t.Fatalf("%s: status %d, %q", path, res.StatusCode, res.Header.Get("Content-Disposition"))
		}
		rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return rows
	}
	dl, _ := e.views.Deadlines("kenai", testNow)
	if rows := csvRows("/providers/kenai/deadlines.csv?status=met"); len(rows)-1 != dl.Counts.MetOnTime+dl.Counts.MetLate {
		t.Errorf("deadlines.csv?status=met has %d rows, want %d", len(rows)-1, dl.Counts.MetOnTime+dl.Counts.MetLate)
	}
	var all projections.Deadlines
	_, body := b.get("/providers/kenai/deadlines.json")
	if err := json.Unmarshal([]byte(body), &all); err != nil || len(all.Items) != len(dl.Items) || all.Counts != dl.Counts {
		t.Errorf("deadlines.json: %d items, counts %+v (%v); want %d, %+v", len(all.Items), all.Counts, err, len(dl.Items), dl.Counts)
	}
	r, err := e.views.Replay(t.Context(), "kenai", pastInstant(), "")
	if err != nil {
		t.Fatal(err)
	}
	if rows := csvRows("/providers/kenai/deadlines.csv?as_of=" + pastInstant().UTC().Format("2006-01-02T15:04:05Z")); len(rows)-1 != len(r.Deadlines().Items) {
		t.Errorf("deadlines.csv as of then has %d rows, the replay %d", len(rows)-1, len(r.Deadlines().Items))
	}
	cov, _ := e.views.Coverage("kenai")
	if rows := csvRows("/providers/kenai/coverage.csv"); len(rows)-1 != len(cov.Months) || rows[0][0] != "month" {
		t.Errorf("coverage.csv: %d rows, header %v; want %d months", len(rows)-1, rows[0], len(cov.Months))
	}
	c, _ := e.views.Concerns("kenai", testNow)
	var concerns projections.Concerns
	_, body = b.get("/providers/kenai/concerns.json?state=waiting")
	if err := json.Unmarshal([]byte(body), &concerns); err != nil || len(concerns.Items) != c.Summary.AwaitingCallback {
		t.Errorf("concerns.json?state=waiting: %d items (%v), want %d", len(concerns.Items), err, c.Summary.AwaitingCallback)
	}
	s := e.views.Statewide(testNow)
	rows := csvRows("/statewide.csv")
	if len(rows)-1 != len(s.Providers) {
		t.Errorf("statewide.csv: %d rows, want %d", len(rows)-1, len(s.Providers))
	}
	for _, cell := range rows[1] {
		if strings.ContainsAny(cell, "{[") {
			t.Errorf("statewide.csv holds JSON in a cell: %q (header %v)", cell, rows[0])
		}
	}
	if res, _ := e.signedIn(t, "kenai-pm", "program_manager", "kenai").get("/statewide.csv"); res.StatusCode != http.StatusForbidden {
		t.Errorf("a provider's manager exports the statewide view: status %d", res.StatusCode)
	}
}
