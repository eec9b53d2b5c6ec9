package queries_test

import (
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/queries"
	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/projections"
)

func TestWriteCSV(t *testing.T) {
	q, ok := queries.Find("deadlines")
	if !ok {
		t.Fatal("no deadlines query")
	}
	due := time.Date(2026, 3, 31, 8, 0, 0, 0, time.UTC)
	v := projections.Deadlines{Provider: "north", Items: []projections.Deadline{
		{ID: "call_return:Q1", Kind: "call_return", Subject: "Q1", Owner: "cm1", Source: "Due diligence E.1", Due: due, Status: "overdue", Late: "1d", Note: `a "quoted", note`,
			RecordedAt: due, EnteredLate: projections.Some(true), EntryLagBusinessDays: projections.Some(3)},
		{ID: "qcip:2026-Q1", Kind: "qcip", Subject: "2026-Q1", Due: due, Status: "open"},
	}}
	var b strings.Builder
	if err := queries.WriteCSV(&b, q, v); err != nil {
		t.Fatal(err)
	}
	want := `id,kind,subject,owner,source,opened_at,due,met_at,status,late_seconds,late,required,done,note,warning,remarks,recorded_at,entered_late,entry_lag_business_days
call_return:Q1,call_return,Q1,cm1,Due diligence E.1,,2026-03-31T08:00:00Z,,overdue,0,1d,0,0,"a ""quoted"", note",,,2026-03-31T08:00:00Z,true,3
qcip:2026-Q1,qcip,2026-Q1,,,,2026-03-31T08:00:00Z,,open,0,,0,0,,,,,,
`
	if b.String() != want {
		t.Fatalf("CSV:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestEveryQueryHasRows(t *testing.T) {
	for _, q := range queries.All {
		v, err := q.Decode([]byte(`{}`))
		if err != nil {
			t.Fatalf("%s: %v", q.Name, err)
		}
		var b strings.Builder
		if err := queries.WriteCSV(&b, q, v); err != nil || !strings.Contains(b.String(), ",") {
			t.Errorf("%s: CSV %q, %v", q.Name, b.String(), err)
		}
	}
}

// TestOverviewCSVHasOneValuePerCell: the overview's nested coverage, confirmation and chain
// break are columns of their own, never JSON inside a cell.
func TestOverviewCSVHasOneValuePerCell(t *testing.T) {
	q, _ := queries.Find("overview")
	o := projections.Overview{Provider: "north", Intact: false, Break: &events.Tamper{Kind: events.Modified, Sequence: 7, EventID: "e7"}}
	o.Coverage.Month, o.Coverage.Required = "2026-03", 5
	var b strings.Builder
	if err := queries.WriteCSV(&b, q, o); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(b.String())).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("CSV %q: %v", b.String(), err)
	}
	got := map[string]string{}
	for i, name := range rows[0] {
		got[name] = rows[1][i]
		if strings.ContainsAny(rows[1][i], "{[") {
			t.Errorf("column %s holds %q: JSON inside a cell", name, rows[1][i])
		}
	}
	for name, want := range map[string]string{"coverage.month": "2026-03", "coverage.required": "5", "break.kind": "modified", "break.sequence": "7", "provider": "north"} {
		if got[name] != want {
			t.Errorf("column %s = %q, want %q (header %v)", name, got[name], want, rows[0])
		}
	}
	var clean strings.Builder
	if err := queries.WriteCSV(&clean, q, projections.Overview{Provider: "north", Intact: true}); err != nil {
		t.Fatal(err)
	}
	if rows, _ := csv.NewReader(strings.NewReader(clean.String())).ReadAll(); len(rows) != 2 || len(rows[1]) != len(rows[0]) {
		t.Fatalf("an overview without a break: %q", clean.String())
	}
}
