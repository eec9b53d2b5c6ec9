package domain_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
)

// TestConfirmationFollowsReviewedPeriods: a June WSQR at 85/100 recorded before a March WSQR at
// 70/100 leaves the provider not under performance confirmation: the status follows the periods
// reviewed, March's then June's, not the order they were recorded.
func TestConfirmationFollowsReviewedPeriods(t *testing.T) {
	l := newTestLedger(t, time.Date(2025, 7, 20, 20, 0, 0, 0, time.UTC))
	l.do(admin("RegisterProvider", `"name":"N","region":"r","occurred_at":"2025-01-06T09:00:00"`))
	june := l.do(pm("ReceiveWSQRFindings", `"wsqr_id":"W-JUN","period":"2025-06","findings":[],"work_verification":{"correct":85,"reviewed":100},"occurred_at":"2025-07-01T10:00:00"`))
	march := l.do(pm("ReceiveWSQRFindings", `"wsqr_id":"W-MAR","period":"2025-03","findings":[],"work_verification":{"correct":70,"reviewed":100},"occurred_at":"2025-07-02T10:00:00"`))
	if l.state.UnderPerformanceConfirmation() {
		t.Error("required after March 70% and June 85%; the June review, of the later period, ends it")
	}
	p, _ := events.Decode(march[0])
	if m := p.(events.WSQRFindingsReceived); m.ConfirmationBefore || !m.ConfirmationRequired {
		t.Errorf("the March review recorded before %v, required %v; want false, true (no review of an earlier period)", m.ConfirmationBefore, m.ConfirmationRequired)
	}
	p, _ = events.Decode(june[0])
	if m := p.(events.WSQRFindingsReceived); m.ConfirmationRequired {
		t.Error("the June review at 85% recorded required")
	}
	// A September review at 79% after both enters again; one of May at 79.5% (between the
	// thresholds) recorded now follows March's 70% and keeps it, but June's 85% still ends it.
	l.do(pm("ReceiveWSQRFindings", `"wsqr_id":"W-MAY","period":"2025-05","findings":[],"work_verification":{"correct":795,"reviewed":1000},"occurred_at":"2025-07-03T10:00:00"`))
	if l.state.UnderPerformanceConfirmation() {
		t.Error("a May review between the thresholds changed the status June's review set")
	}
	l.do(pm("ReceiveWSQRFindings", `"wsqr_id":"W-SEP","period":"2025-Q3","findings":[],"work_verification":{"correct":79,"reviewed":100},"occurred_at":"2025-07-04T10:00:00"`))
	if !l.state.UnderPerformanceConfirmation() {
		t.Error("a review of Q3 at 79% did not start performance confirmation")
	}
}

// TestPerformanceConfirmationDuties: from WSTA's confirmation of the start (10 March) until its
// confirmation of the end (14 May), each month whose 20th falls in between opens one
// performance_confirmation duty: waiting for DPA until the month's participant list is recorded
// (with a warning after the fifth business day after the 20th), then due 10 working days after
// receipt and met by the response to the selected group. The list of a confirming month opens no
// participant_list_response of its own; a list after the end does.
func TestPerformanceConfirmationDuties(t *testing.T) {
	now := time.Date(2026, 6, 10, 20, 0, 0, 0, time.UTC)
	l := newTestLedger(t, now)
	l.do(admin("RegisterProvider", `"name":"N","region":"r","occurred_at":"2026-01-05T09:00:00"`))
	l.do(command("ConfirmPerformanceConfirmation", "wsta", "ws1", `"state":"started","occurred_at":"2026-03-10T10:00:00"`))
	list := func(id, month, at string) string {
		return pm("ReceiveDPAReport", `"report_id":"`+id+`","kind":"participant_list","period":"`+month+`","selected_cases":["C1"],"occurred_at":"`+at+`"`)
	}
	l.do(list("PL-03", "2026-03", "2026-03-25T10:00:00"))
	l.do(pm("RespondToDPAReport", `"report_id":"PL-03","items":[{"case_id":"C1","action":"confirmed"}],"occurred_at":"2026-04-02T10:00:00"`))
	l.do(command("ConfirmPerformanceConfirmation", "wsta", "ws1", `"state":"ceased","occurred_at":"2026-05-14T10:00:00"`))
	l.do(list("PL-05", "2026-05", "2026-05-26T10:00:00"))

	at := func(now time.Time) map[string]domain.Obligation {
		out := map[string]domain.Obligation{}
		for _, o := range bookOf(t, l).Obligations(now) {
			if o.Kind == domain.ObligationPerformanceConfirmation || o.Kind == domain.ObligationParticipantList {
				out[o.ID] = o
			}
		}
		return out
	}
	got := at(now)
	want := []string{"participant_list_response:PL-05", "performance_confirmation:2026-03", "performance_confirmation:2026-04"}
	if ids := slices.Sorted(keysOf(got)); !slices.Equal(ids, want) {
		t.Fatalf("duties %v, want %v", ids, want)
	}
	march := got["performance_confirmation:2026-03"]
	if !march.OpenedAt.Equal(mustTime("2026-03-10T10:00:00")) || !march.Due.Equal(mustTime("2026-04-10T00:00:00")) ||
		march.Status(now, l.policy) != domain.StatusMetOnTime {
		t.Errorf("March: opened %v, due %v, %s; want opened at the start, due 10 business days after 25 March (Seward's Day between), met on time",
			march.OpenedAt, march.Due, march.Status(now, l.policy))
	}
	april := got["performance_confirmation:2026-04"]
	if april.Status(now, l.policy) != domain.StatusWaitingForDPA || !strings.Contains(april.Warning, "expected by 2026-04-27") {
		t.Errorf("April without a list: %s, warning %q; want waiting_for_dpa, expected by 27 April", april.Status(now, l.policy), april.Warning)
	}
	// On 22 April the list is not yet late: no warning.
	if early := at(mustTime("2026-04-22T12:00:00"))["performance_confirmation:2026-04"]; early.Warning != "" || early.Status(mustTime("2026-04-22T12:00:00"), l.policy) != domain.StatusWaitingForDPA {
		t.Errorf("on 22 April: %+v", early)
	}
}

func keysOf[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// TestParticipantListSelectionRemarks: a participant list's selection is checked against the
// manual's rule on the month's reported caseload (20% rounded down, at least 5, at most 30) and
// the statewide family-type mix the list or the settings give; every difference is a remark on
// the report, which is still accepted.
func TestParticipantListSelectionRemarks(t *testing.T) {
	var cases []string
	for i := 1; i <= 10; i++ {
		family := "all_family"
		if i > 8 {
			family = "two_parent"
		}
		cases = append(cases, fmt.Sprintf(`{"case_id":"P%02d","family_type":%q,"case_manager_id":"cm1"}`, i, family))
	}
	caseload := pm("ReportCaseload", `"month":"2026-03","cases":[`+strings.Join(cases, ",")+`],"occurred_at":"2026-03-02T09:00:00"`)
	for _, tt := range []struct {
		name, fields string
		policyMix    []events.FamilyShare
		want         []string
	}{
		{"eight of ten and an unknown case", `"selected_cases":["P01","P02","P03","P04","P05","P06","P07","P08","Z99"]`, nil,
			[]string{"selects 9 cases; the manual's rule gives 5 for the caseload of 10", "Z99, not in the caseload", "split was not checked"}},
		{"five, split as the list's mix", `"selected_cases":["P01","P02","P03","P04","P09"],"statewide_family_mix":[{"family_type":"all_family","cases":8},{"family_type":"two_parent","cases":2}]`, nil,
			nil},
		{"five, all of one family type against the settings' mix", `"selected_cases":["P01","P02","P03","P04","P05"]`,
			[]events.FamilyShare{{FamilyType: "all_family", Cases: 6}, {FamilyType: "two_parent", Cases: 4}},
			[]string{"family types are all_family 5, two_parent 0; weighted by the statewide mix (all_family 6, two_parent 4) they would be all_family 3, two_parent 2"}},
		// A mix given as a ratio weights the places as well as counts do: 5 × 3/4 = 3.75 and
		// 5 × 1/4 = 1.25 give 4 and 1, though the mix counts only 4 cases.
		{"five, split as a mix smaller than the selection", `"selected_cases":["P01","P02","P03","P04","P09"],"statewide_family_mix":[{"family_type":"all_family","cases":3},{"family_type":"two_parent","cases":1}]`, nil,
			nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			l := fixture(t)
			l.policy.StatewideFamilyMix = tt.policyMix
			l.do(caseload)
			got := l.do(pm("ReceiveDPAReport", `"report_id":"PL","kind":"participant_list","period":"2026-03",`+tt.fields))
			p, _ := events.Decode(got[0])
			remarks := p.(events.DPAReportReceived).Remarks
			if len(remarks) != len(tt.want) {
				t.Fatalf("remarks %q, want %d", remarks, len(tt.want))
			}
			for i, w := range tt.want {
				if !strings.Contains(remarks[i], w) {
					t.Errorf("remark %q lacks %q", remarks[i], w)
				}
			}
			if o, ok := findObligation(bookOf(t, l).Obligations(fixtureNow), domain.ObligationParticipantList+":PL"); !ok || !slices.Equal(o.Remarks, remarks) {
				t.Errorf("the participant list's duty shows remarks %q, want %q", o.Remarks, remarks)
			}
		})
	}
}
