package web

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/wsledger/wsledger/domain"
)

var countPattern = regexp.MustCompile(`data-count="([a-z-]+)">(\d+)`)

// counts returns the numbers a page shows in its data-count elements.
func counts(t *testing.T, body string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, m := range countPattern.FindAllStringSubmatch(body, -1) {
		n, _ := strconv.Atoi(m[2])
		out[m[1]] = n
	}
	return out
}

func testOverviewShowsTheProjectionsNumbers(t *testing.T, e *env) {
	b := e.signedIn(t, "auditor", "csqa_auditor", "*")
	for _, provider := range e.views.Providers() {
		t.Run(provider, func(t *testing.T) {
			o, err := e.views.Overview(provider, testNow)
			if err != nil {
				t.Fatal(err)
			}
			res, body := b.get("/providers/" + provider)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d", res.StatusCode)
			}
			got := counts(t, body)
			want := map[string]int{
				"overdue": o.Overdue, "due-this-week": o.DueThisWeek, "reviewed": o.Coverage.Reviewed,
				"open-corrections": o.OpenCorrections, "awaiting-callback": o.AwaitingCallback,
			}
			if o.OverdueCorrections > 0 {
				want["overdue-corrections"] = o.OverdueCorrections
			}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%s shows %d, the projections say %d", k, got[k], v)
				}
			}
			if rows := strings.Count(section(body, `id="attention"`, `id="corrections"`), "<tr"); rows-1 != o.Overdue+o.DueThisWeek {
				t.Errorf("%d obligations listed as overdue or due this week, want %d", rows-1, o.Overdue+o.DueThisWeek)
			}
			if o.Overdue > 0 && !strings.Contains(body, "⚠</span> Overdue by ") {
				t.Error("overdue obligations are not said to be overdue in words")
			}
			if !strings.Contains(body, "AKST</time>") {
				t.Error("times do not name the Alaska zone")
			}
		})
	}
}

// section returns the part of body between two markers.
func section(body, from, to string) string {
	i := strings.Index(body, from)
	if i < 0 {
		return ""
	}
	rest := body[i:]
	if j := strings.Index(rest, to); j >= 0 {
		return rest[:j]
	}
	return rest
}

func testDeadlineFilters(t *testing.T, e *env) {
	b := e.signedIn(t, "kenai-pm", "program_manager", "kenai")
	dl, err := e.views.Deadlines("kenai", testNow)
	if err != nil {
		t.Fatal(err)
	}
	owner := ""
	for _, it := range dl.Items {
		if it.Owner != "" {
			owner = it.Owner
			break
		}
	}
	tests := []struct {
		query string
		keep  func(status domain.Status, kind, owner string) bool
	}{
		{"status=overdue", func(s domain.Status, _, _ string) bool { return s == domain.StatusOverdue }},
		{"status=met_late", func(s domain.Status, _, _ string) bool { return s == domain.StatusMetLate }},
		{"kind=correction", func(_ domain.Status, k, _ string) bool { return k == domain.ObligationCorrection }},
		{"owner=" + owner, func(_ domain.Status, _, o string) bool { return o == owner }},
		{"owner=-&kind=monthly_file_review", func(_ domain.Status, k, o string) bool { return o == "" && k == domain.ObligationFileReview }},
		{"status=open&kind=qcip", func(s domain.Status, k, _ string) bool { return s == domain.StatusOpen && k == domain.ObligationQCIP }},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			want := 0
			for _, it := range dl.Items {
				if tt.keep(it.Status, it.Kind, it.Owner) {
					want++
				}
			}
			res, body := b.get("/providers/kenai/deadlines?" + tt.query)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d", res.StatusCode)
			}
			if got := counts(t, body)["shown"]; got != want {
				t.Errorf("shows %d obligations, want %d", got, want)
			}
			if rows := strings.Count(section(body, "<tbody>", "</tbody>"), "<tr"); rows != want {
				t.Errorf("lists %d rows, want %d", rows, want)
			}
		})
	}
}

func testTrendsDrawTheThresholds(t *testing.T, e *env) {
	b := e.signedIn(t, "kenai-pm", "program_manager", "kenai")
	acc, err := e.views.Accuracy("kenai")
	if err != nil {
		t.Fatal(err)
	}
	_, body := b.get("/providers/kenai/trends")
	for _, want := range []string{"≤ 79%: confirmation starts", "≥ 80%: confirmation ends", `<svg id="accuracy-chart"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the trends page lacks %q", want)
		}
	}
	if len(acc.Reviews) == 0 {
		t.Fatal("the demo data has no WSQR for kenai")
	}
	for _, r := range acc.Reviews {
		if !strings.Contains(body, ": "+r.Percent+" (") {
			t.Errorf("the accuracy chart has no point for %s at %s", r.Period, r.Percent)
		}
	}
	ms, _ := e.views.Measures("kenai")
	measures := map[string]bool{}
	for _, m := range ms.Months {
		measures[m.Measure] = true
	}
	if got := strings.Count(body, `<svg id="m-kenai-`); got != len(measures) {
		t.Errorf("%d measure charts, want one for each of the %d measures", got, len(measures))
	}
}

func testStatewideTotals(t *testing.T, e *env) {
	b := e.signedIn(t, "analyst", "wsta", "*")
	s := e.views.Statewide(testNow)
	_, body := b.get("/statewide")
	got := counts(t, body)
	want := map[string]int{"providers": s.Totals.Providers, "overdue": s.Totals.Overdue,
		"open-corrections": s.Totals.OpenCorrections, "awaiting-callback": s.Totals.AwaitingCallback}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s shows %d, the projections say %d", k, got[k], v)
		}
	}
	for _, o := range s.Providers {
		if !strings.Contains(body, `href="/providers/`+o.Provider+`"`) {
			t.Errorf("no link to %s", o.Provider)
		}
	}
}

// The live-update script asks for ?partial=1 and swaps in the regions it gets.
func testPartialIsTheLiveRegionsOnly(t *testing.T, e *env) {
	b := e.signedIn(t, "kenai-pm", "program_manager", "kenai")
	for path, region := range map[string]string{
		"/providers/kenai": "overview-live", "/providers/kenai/deadlines?status=overdue": "deadlines-live",
		"/providers/kenai/trends": "trends-live", "/providers/kenai/audit": "audit-live",
	} {
		res, body := b.get(path + sep(path) + "partial=1")
		if res.StatusCode != http.StatusOK || strings.Contains(body, "<html") || !strings.HasPrefix(body, `<div id="`+region+`" data-live-region>`) {
			t.Errorf("%s partial: status %d, starts %.60q; want only the live region", path, res.StatusCode, body)
		}
	}
}

func sep(path string) string {
	if strings.Contains(path, "?") {
		return "&"
	}
	return "?"
}
