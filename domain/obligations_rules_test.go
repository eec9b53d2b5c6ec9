package domain_test

import (
	"testing"
	"time"

	"github.com/wsledger/wsledger/domain"
)

func TestMonthlyFileReviewCountsDistinctCases(t *testing.T) {
	// Eleven cases need ceil(10%) = 2 distinct files reviewed.
	cases := `"month":"2026-03","cases":[`
	for i := range 11 {
		if i > 0 {
			cases += ","
		}
		cases += `{"case_id":"C` + string(rune('a'+i)) + `","family_type":"all_family","case_manager_id":"cm1"}`
	}
	rev := func(id, caseID, when string) string {
		return pm("RecordFileReview", `"review_id":"`+id+`","month":"2026-03","case_id":"`+caseID+`","reviewer_id":"sup1",`+occurred(when))
	}
	tests := []struct {
		name     string
		reviews  []string
		now      string
		done     int
		metAt    string
		status   domain.Status
		lateHour int
	}{
		{"none yet", nil, "2026-03-20T12:00:00", 0, "", domain.StatusOpen, 0},
		{"the same case twice counts once", []string{rev("R1", "Ca", "2026-03-05T10:00:00"), rev("R2", "Ca", "2026-03-06T10:00:00")},
			"2026-03-20T12:00:00", 1, "", domain.StatusOpen, 0},
		{"two cases meet it", []string{rev("R1", "Ca", "2026-03-05T10:00:00"), rev("R2", "Cb", "2026-03-06T10:00:00")},
			"2026-03-20T12:00:00", 2, "2026-03-06T10:00:00", domain.StatusMetOnTime, 0},
		{"due soon on the last business days", []string{rev("R1", "Ca", "2026-03-05T10:00:00")},
			"2026-03-27T12:00:00", 1, "", domain.StatusDueSoon, 0},
		{"the second file reviewed in April meets it late", []string{rev("R1", "Ca", "2026-03-05T10:00:00"), rev("R2", "Cb", "2026-04-01T10:00:00")},
			"2026-04-02T12:00:00", 2, "2026-04-01T10:00:00", domain.StatusMetLate, 10},
		{"a review recorded out of order counts in occurred order", []string{rev("R1", "Cb", "2026-03-09T10:00:00"), rev("R2", "Ca", "2026-03-05T10:00:00"), rev("R3", "Cc", "2026-03-07T10:00:00")},
			"2026-03-20T12:00:00", 3, "2026-03-07T10:00:00", domain.StatusMetOnTime, 0},
		{"a review after now does not count yet", []string{rev("R1", "Ca", "2026-03-05T10:00:00"), rev("R2", "Cb", "2026-03-25T10:00:00")},
			"2026-03-20T12:00:00", 1, "", domain.StatusOpen, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := fixture(t)
			l.now = mustTime("2026-04-30T12:00:00")
			l.do(pm("ReportCaseload", cases+`],`+occurred("2026-03-02T10:00:00")))
			for _, r := range tt.reviews {
				l.do(r)
			}
			now := mustTime(tt.now)
			o, ok := findObligation(bookOf(t, l).Obligations(now), "monthly_file_review:2026-03")
			if !ok {
				t.Fatal("missing")
			}
			var metAt time.Time
			if tt.metAt != "" {
				metAt = mustTime(tt.metAt)
			}
			if o.Required != 2 || o.Done != tt.done || !o.MetAt.Equal(metAt) {
				t.Errorf("required %d done %d met %v; want 2, %d, %v", o.Required, o.Done, o.MetAt, tt.done, metAt)
			}
			if got := o.Status(now, l.policy); got != tt.status {
				t.Errorf("status %s, want %s", got, tt.status)
			}
			if got := o.Late(now); got != time.Duration(tt.lateHour)*time.Hour {
				t.Errorf("late %v, want %dh", got, tt.lateHour)
			}
		})
	}
}

func TestEmptyCaseloadNeedsNoReview(t *testing.T) {
	l := fixture(t)
	l.do(pm("ReportCaseload", `"month":"2026-03","cases":[],`+occurred("2026-03-03T09:00:00")))
	o, _ := findObligation(bookOf(t, l).Obligations(l.now), "monthly_file_review:2026-03")
	if o.Required != 0 || o.Status(l.now, l.policy) != domain.StatusMetOnTime {
		t.Errorf("obligation %+v is %s", o, o.Status(l.now, l.policy))
	}
}

func TestObligationsAsOfAnEarlierInstant(t *testing.T) {
	l := fixture(t)
	l.do(call("K1")) // 16 March, 10:00
	l.do(cm("ReturnClientCall", `"concern_id":"K1",`+occurred("2026-03-17T09:00:00")))
	b := bookOf(t, l)
	if _, ok := findObligation(b.Obligations(mustTime("2026-03-16T09:59:00")), "call_return:K1"); ok {
		t.Error("an obligation is listed before it opened")
	}
	o, _ := findObligation(b.Obligations(mustTime("2026-03-16T18:00:00")), "call_return:K1")
	if !o.MetAt.IsZero() || o.Status(mustTime("2026-03-16T18:00:00"), l.policy) != domain.StatusDueSoon {
		t.Errorf("before the call was returned: %+v", o)
	}
	o, _ = findObligation(b.Obligations(l.now), "call_return:K1")
	if o.Status(l.now, l.policy) != domain.StatusMetOnTime {
		t.Errorf("after: %+v", o)
	}
}

func TestGrievanceWindowIsOptional(t *testing.T) {
	posted := pm("PostPerformanceMeasures", `"period":"2026-02","measures":[{"measure":"m1","numerator":1,"denominator":2}],`+occurred("2026-03-17T09:00:00"))
	filed := pm("SubmitReport", `"kind":"data_grievance","period":"2026-02","documents":[{"name":"g.pdf"}],`+occurred("2026-03-30T09:00:00"))
	tests := []struct {
		name   string
		cmds   []string
		now    string
		listed bool
		status domain.Status
	}{
		{"open while the window runs", []string{posted}, "2026-03-20T12:00:00", true, domain.StatusOpen},
		{"gone once it closed unused", []string{posted}, "2026-04-02T00:00:00", false, ""},
		{"kept when a grievance was filed", []string{posted, filed}, "2026-04-20T12:00:00", true, domain.StatusMetOnTime},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := fixture(t)
			l.now = mustTime("2026-04-20T12:00:00")
			for _, c := range tt.cmds {
				l.do(c)
			}
			now := mustTime(tt.now)
			o, ok := findObligation(bookOf(t, l).Obligations(now), "data_grievance:2026-02")
			if ok != tt.listed || ok && o.Status(now, l.policy) != tt.status {
				t.Errorf("listed %v status %s; want %v %s", ok, o.Status(now, l.policy), tt.listed, tt.status)
			}
		})
	}
}

func TestConcernForwardIsMetByForwardingOrResolving(t *testing.T) {
	declare := cm("DeclareConcernUnresolved", `"concern_id":"K1","reason":"r",`+occurred("2026-03-17T09:00:00"))
	tests := []struct {
		name, then string
		want       domain.Status
	}{
		{"forwarded the same day", cm("ForwardConcernToWSTA", `"concern_id":"K1","reason":"r",`+occurred("2026-03-17T15:00:00")), domain.StatusMetOnTime},
		{"forwarded the next day", cm("ForwardConcernToWSTA", `"concern_id":"K1","reason":"r",`+occurred("2026-03-18T09:00:00")), domain.StatusMetLate},
		{"resolved after all", cm("ResolveConcern", `"concern_id":"K1","clno_date":"2026-03-17","summary":"s","level":"program_manager",`+occurred("2026-03-17T16:00:00")), domain.StatusMetOnTime},
		{"neither", "", domain.StatusOverdue},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := fixture(t)
			l.do(call("K1"))
			l.do(declare)
			if tt.then != "" {
				l.do(tt.then)
			}
			o, _ := findObligation(bookOf(t, l).Obligations(l.now), "concern_forward:K1")
			if got := o.Status(l.now, l.policy); got != tt.want {
				t.Errorf("status %s, want %s", got, tt.want)
			}
		})
	}
}

func TestPolicySettingsMoveDeadlines(t *testing.T) {
	l := fixture(t)
	l.do(cm("LearnCircumstanceChange", `"change_id":"X1","client_number":"12345678","description":"d",`+occurred("2026-03-16T09:00:00")))
	l.do(cm("ReceiveClientCall", `"concern_id":"K1","client_number":"12345678","summary":"s",`+occurred("2026-03-16T09:00:00")))
	l.do(cm("ResolveConcern", `"concern_id":"K1","clno_date":"2026-03-16","summary":"s","level":"case_manager",`+occurred("2026-03-16T11:00:00")))
	p := domain.DefaultPolicy()
	p.ChangeReportBusinessDays = 2
	p.WSTANoticeBusinessDays = 3
	b := domain.NewBook(testProvider, p)
	for _, e := range l.events {
		if err := b.Apply(e); err != nil {
			t.Fatal(err)
		}
	}
	obs := b.Obligations(l.now)
	for id, want := range map[string]string{
		"change_report:X1":       "2026-03-19T00:00:00-08:00",
		"wsta_concern_notice:K1": "2026-03-20T00:00:00-08:00",
	} {
		if o, _ := findObligation(obs, id); o.Due.In(domain.Anchorage).Format(time.RFC3339) != want {
			t.Errorf("%s due %v, want %s", id, o.Due.In(domain.Anchorage), want)
		}
	}
}
