package web

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/projections"
)

func projectionsFilter(types ...string) projections.AuditFilter {
	return projections.AuditFilter{Types: types}
}

func testAuditPageAndExports(t *testing.T, e *env) {
	b := e.signedIn(t, "auditor", "csqa_auditor", "*")
	trail, err := e.views.Audit(t.Context(), "tongass", projections.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}

	res, body := b.get("/providers/tongass/audit")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "✓ Verified:") {
		t.Fatalf("audit page: status %d; want the chain verified", res.StatusCode)
	}
	if rows := strings.Count(section(body, "<tbody>", "</tbody>"), "<tr"); rows != min(auditPageSize, len(trail.Entries)) {
		t.Errorf("the first page lists %d events, want %d", rows, min(auditPageSize, len(trail.Entries)))
	}

	res, body = b.get("/providers/tongass/audit.csv")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") ||
		!strings.HasPrefix(res.Header.Get("Content-Disposition"), `attachment; filename="tongass-audit-`) {
		t.Fatalf("CSV: status %d, headers %v", res.StatusCode, res.Header)
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(trail.Entries)+1 || rows[0][0] != "sequence" {
		t.Fatalf("CSV has %d rows, want a header and %d events", len(rows), len(trail.Entries))
	}
	for i, row := range rows[1:] {
		if row[13] != trail.Entries[i].Hash || row[14] != projections.Verified {
			t.Fatalf("CSV row %d: hash %s, verification %s; want %s, ok", i+1, row[13], row[14], trail.Entries[i].Hash)
		}
	}

	_, body = b.get("/providers/tongass/audit.jsonl?type=" + events.TypeClientCallReceived)
	n := 0
	for sc := bufio.NewScanner(strings.NewReader(body)); sc.Scan(); n++ {
		var entry projections.AuditEntry
		if err := json.Unmarshal(sc.Bytes(), &entry); err != nil {
			t.Fatal(err)
		}
		if h, err := events.ComputeHash(&entry.Envelope); err != nil || h != entry.Hash || entry.Type != events.TypeClientCallReceived {
			t.Fatalf("JSONL line %d: type %s, hash recomputes to %s (%v), want %s", n+1, entry.Type, h, err, entry.Hash)
		}
	}
	calls, _ := e.views.Audit(t.Context(), "tongass", projectionsFilter(events.TypeClientCallReceived))
	if n != len(calls.Entries) || n == 0 {
		t.Errorf("JSONL filtered by type has %d lines, want %d", n, len(calls.Entries))
	}

	res, body = b.get("/providers/tongass/audit?from=2026-13-01")
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "The start date must be a real day") {
		t.Errorf("a bad date: status %d; want 400 saying which field", res.StatusCode)
	}
}
