package projections

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/projections/internal/fixture"
)

// cmd builds a command of provider p1 by the program manager, occurring at at (Alaska time).
func cmd(typ, at, fields string) []byte {
	return []byte(fmt.Sprintf(`{"type":%q,"provider":"p1","actor":{"staff_id":"pm1","role":"program_manager"},"occurred_at":%q,%s}`, typ, at, fields))
}

// caseloadOf returns a caseload's cases: n cases with the prefix for each case manager.
func caseloadOf(month string, perManager map[string]string, n int) string {
	var cases []string
	for _, cm := range []string{"cm1", "cm2"} {
		for i := 1; i <= n; i++ {
			cases = append(cases, fmt.Sprintf(`{"case_id":"%s%02d","family_type":"all_family","case_manager_id":%q}`, perManager[cm], i, cm))
		}
	}
	return fmt.Sprintf(`"month":%q,"cases":[%s]`, month, strings.Join(cases, ","))
}

// TestEveryViewReadsOneReviewRule plays the months an auditor found the views disagreeing on, and
// the month B's "for each staff person" decides: the deadline, the coverage view and the overview
// read one rule (domain.Book.FileReviewCoverage).
//   - March: 20 cases, cm1's two files reviewed, cm2's ten untouched: not met.
//   - April: met by reviews of cm1's and cm2's files, then the caseload is re-reported with other
//     cases: 0 reviewed, not met, in every view.
//   - May: an empty caseload needs no review: met in every view.
//   - June: no caseload reported: the overview says so rather than "0 of 0 required".
func TestEveryViewReadsOneReviewRule(t *testing.T) {
	log, clock := fixture.Open(t)
	l := fixture.NewLedger(log, clock)
	roster := `"staff":[{"staff_id":"pm1","name":"P","role":"program_manager"},{"staff_id":"cm1","name":"A","role":"case_manager","supervisor_id":"pm1"},{"staff_id":"cm2","name":"B","role":"case_manager","supervisor_id":"pm1"}]`
	steps := [][]byte{
		[]byte(`{"type":"RegisterProvider","provider":"p1","actor":{"staff_id":"ad1","role":"admin"},"occurred_at":"2025-03-03T08:00:00","name":"P1","region":"r"}`),
		cmd("SubmitStaffRoster", "2025-03-03T09:00:00", `"month":"2025-03",`+roster),
		cmd("ReportCaseload", "2025-03-03T09:00:00", caseloadOf("2025-03", map[string]string{"cm1": "A", "cm2": "B"}, 10)),
		cmd("RecordFileReview", "2025-03-10T10:00:00", `"review_id":"R1","month":"2025-03","case_id":"A01","reviewer_id":"pm1"`),
		cmd("RecordFileReview", "2025-03-11T10:00:00", `"review_id":"R2","month":"2025-03","case_id":"A02","reviewer_id":"pm1"`),
		cmd("SubmitStaffRoster", "2025-04-01T09:00:00", `"month":"2025-04",`+roster),
		cmd("ReportCaseload", "2025-04-01T09:00:00", caseloadOf("2025-04", map[string]string{"cm1": "C", "cm2": "D"}, 5)),
		cmd("RecordFileReview", "2025-04-08T10:00:00", `"review_id":"R3","month":"2025-04","case_id":"C01","reviewer_id":"pm1"`),
		cmd("RecordFileReview", "2025-04-09T10:00:00", `"review_id":"R4","month":"2025-04","case_id":"D01","reviewer_id":"pm1"`),
		cmd("ReportCaseload", "2025-04-15T09:00:00", caseloadOf("2025-04", map[string]string{"cm1": "E", "cm2": "F"}, 5)),
		cmd("ReportCaseload", "2025-05-01T09:00:00", `"month":"2025-05","cases":[]`),
	}
	for _, raw := range steps {
		var h struct {
			At string `json:"occurred_at"`
		}
		if err := json.Unmarshal(raw, &h); err != nil {
			t.Fatal(err)
		}
		at, _ := fixture.ParseTime(h.At)
		if _, err := l.Submit(t.Context(), at, raw); err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
	}
	v := New(log, domain.DefaultPolicy())
	for _, tt := range []struct {
		month, at   string
		met         bool
		reviewed    int
		unreviewed  string
		overviewSay string
	}{
		{"2025-03", "2025-03-31T12:00:00", false, 2, "cm2", "2 of 2 required (caseload 20, 0 remaining); no file reviewed of cm2"},
		{"2025-04", "2025-04-30T12:00:00", false, 0, "cm1, cm2", "0 of 1 required (caseload 10, 1 remaining); no file reviewed of cm1, cm2"},
		{"2025-05", "2025-05-30T12:00:00", true, 0, "", "0 of 0 required (caseload 0, 0 remaining)"},
		{"2025-06", "2025-06-30T12:00:00", false, 0, "", "no caseload reported"},
	} {
		t.Run(tt.month, func(t *testing.T) {
			r, err := v.Replay(t.Context(), "p1", alaska(t, tt.at), events.Recorded)
			if err != nil {
				t.Fatal(err)
			}
			s := deadlineStatus(r.Deadlines(), domain.ObligationFileReview+":"+tt.month)
			if met := s == domain.StatusMetOnTime || s == domain.StatusMetLate; met != tt.met {
				t.Errorf("deadline %s, want met %v", s, tt.met)
			}
			var mc *MonthCoverage
			for i, m := range r.Coverage().Months {
				if m.Month == tt.month {
					mc = &r.Coverage().Months[i]
				}
			}
			switch {
			case mc == nil && tt.month != "2025-06":
				t.Fatal("no coverage row")
			case mc != nil && (mc.Met != tt.met || mc.Reviewed != tt.reviewed):
				t.Errorf("coverage met %v with %d reviewed, want %v with %d", mc.Met, mc.Reviewed, tt.met, tt.reviewed)
			}
			o := r.Overview()
			if o.Coverage.Met != tt.met || o.Coverage.Reviewed != tt.reviewed || strings.Join(o.Coverage.Unreviewed, ", ") != tt.unreviewed {
				t.Errorf("overview coverage %+v, want met %v, %d reviewed, unreviewed %q", o.Coverage, tt.met, tt.reviewed, tt.unreviewed)
			}
			var text bytes.Buffer
			if err := o.WriteText(&text); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(text.String(), tt.overviewSay) {
				t.Errorf("overview says:\n%s\nwant %q", text.String(), tt.overviewSay)
			}
		})
	}
}
