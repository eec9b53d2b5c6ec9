package domain_test

import (
	"testing"
	"time"

	"github.com/wsledger/wsledger/domain"
)

// TestClientDutiesComputedByHand: the concern, emergency and change duties of due diligence E, I
// and J on dates of 2025, each computed by hand from the manual and the calendar, with the
// instant that meets them on either side of the deadline.
func TestClientDutiesComputedByHand(t *testing.T) {
	now := time.Date(2026, 2, 2, 20, 0, 0, 0, time.UTC)
	call := func(at string) string {
		return cm("ReceiveClientCall", `"concern_id":"K1","client_number":"12345678","summary":"s","occurred_at":"`+at+`"`)
	}
	tests := []struct {
		name   string
		cmds   []string
		id     string
		due    string // Anchorage time
		status domain.Status
	}{
		{"call the day before Juneteenth, returned at the last minute",
			[]string{call("2025-06-18T15:00:00"), cm("ReturnClientCall", `"concern_id":"K1","occurred_at":"2025-06-20T23:59:00"`)},
			"call_return:K1", "2025-06-21T00:00:00", domain.StatusMetOnTime},
		{"call before Independence Day (Friday), returned as the deadline passes",
			[]string{call("2025-07-03T16:00:00"), cm("ReturnClientCall", `"concern_id":"K1","occurred_at":"2025-07-08T00:00:00"`)},
			"call_return:K1", "2025-07-08T00:00:00", domain.StatusMetLate},
		{"call on Thursday before Alaska Day observed on Friday 17 October",
			[]string{call("2025-10-16T11:00:00")}, "call_return:K1", "2025-10-21T00:00:00", domain.StatusOverdue},
		{"voicemail on New Year's Eve",
			[]string{cm("ReceiveConcern", `"concern_id":"K1","client_number":"12345678","summary":"s","channel":"voicemail","occurred_at":"2025-12-31T17:00:00"`)},
			"call_return:K1", "2026-01-03T00:00:00", domain.StatusOverdue},
		{"WSTA notice of a resolution on Christmas Eve, accepted on Friday 26 December",
			[]string{cm("ReceiveConcern", `"concern_id":"K1","client_number":"12345678","summary":"s","channel":"email","occurred_at":"2025-12-22T10:00:00"`),
				cm("ResolveConcern", `"concern_id":"K1","clno_date":"2025-12-23","summary":"s","level":"supervisor","occurred_at":"2025-12-24T10:00:00"`),
				admin("RecordWSTANoticeDelivered", `"concern_id":"K1","message_id":"<m1@x>","to":"WSTA@alaska.gov","occurred_at":"2025-12-26T09:00:00"`)},
			"wsta_concern_notice:K1", "2025-12-27T00:00:00", domain.StatusMetOnTime},
		{"declared unresolved on Labor Day: forwarded by the end of that day",
			[]string{call("2025-08-29T10:00:00"), cm("DeclareConcernUnresolved", `"concern_id":"K1","reason":"r","occurred_at":"2025-09-01T10:00:00"`)},
			"concern_forward:K1", "2025-09-02T00:00:00", domain.StatusOverdue},
		{"forwarded the morning after it was declared unresolved",
			[]string{call("2025-09-08T10:00:00"), cm("DeclareConcernUnresolved", `"concern_id":"K1","reason":"r","occurred_at":"2025-09-09T16:00:00"`),
				cm("ForwardConcernToWSTA", `"concern_id":"K1","reason":"r","occurred_at":"2025-09-10T08:00:00"`)},
			"concern_forward:K1", "2025-09-10T00:00:00", domain.StatusMetLate},
		{"recommendations received the day before daylight time begins",
			[]string{cm("ReceiveWSTARecommendation", `"concern_id":"K5","recommendation_id":"R1","recommendations":["x"],"occurred_at":"2025-03-08T12:00:00"`)},
			"wsta_recommendation:R1", "2025-03-09T13:00:00", domain.StatusOverdue},
		{"recommendations implemented 24 hours to the minute after receipt",
			[]string{cm("ReceiveWSTARecommendation", `"concern_id":"K5","recommendation_id":"R1","recommendations":["x"],"occurred_at":"2025-05-05T09:30:00"`),
				cm("ImplementWSTARecommendation", `"recommendation_id":"R1","occurred_at":"2025-05-06T09:30:00"`)},
			"wsta_recommendation:R1", "2025-05-06T09:30:00", domain.StatusMetLate},
		{"Work First emergency over the Thanksgiving weekend",
			[]string{cm("DiscloseEmergency", `"emergency_id":"E1","client_number":"12345678","track":"work_first","occurred_at":"2025-11-28T10:00:00"`)},
			"emergency_visit:E1", "2025-11-30T10:00:00", domain.StatusOverdue},
		{"Families First emergency across the end of daylight time, seen a minute early",
			[]string{cm("DiscloseEmergency", `"emergency_id":"E1","client_number":"12345678","track":"families_first","occurred_at":"2025-11-01T12:00:00"`),
				cm("SeeEmergencyClient", `"emergency_id":"E1","occurred_at":"2025-11-03T10:59:00"`)},
			"emergency_visit:E1", "2025-11-03T11:00:00", domain.StatusMetOnTime},
		{"Work First emergency across the end of daylight time, seen at the 48th hour",
			[]string{cm("DiscloseEmergency", `"emergency_id":"E1","client_number":"12345678","track":"work_first","occurred_at":"2025-11-01T12:00:00"`),
				cm("SeeEmergencyClient", `"emergency_id":"E1","occurred_at":"2025-11-03T11:00:00"`)},
			"emergency_visit:E1", "2025-11-03T11:00:00", domain.StatusMetLate},
		{"change learned the Monday of Juneteenth week",
			[]string{cm("LearnCircumstanceChange", `"change_id":"X1","client_number":"12345678","description":"job","occurred_at":"2025-06-16T10:00:00"`)},
			"change_report:X1", "2025-06-25T00:00:00", domain.StatusOverdue},
		{"change learned before Christmas, reported on the fifth business day",
			[]string{cm("LearnCircumstanceChange", `"change_id":"X1","client_number":"12345678","description":"job","occurred_at":"2025-12-19T10:00:00"`),
				cm("ReportCircumstanceChange", `"change_id":"X1","occurred_at":"2025-12-29T16:00:00"`)},
			"change_report:X1", "2025-12-30T00:00:00", domain.StatusMetOnTime},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newTestLedger(t, now)
			l.do(admin("RegisterProvider", `"name":"North Star","region":"southcentral","occurred_at":"2025-01-02T09:00:00"`))
			for _, c := range tt.cmds {
				l.do(c)
			}
			o, ok := findObligation(bookOf(t, l).Obligations(now), tt.id)
			if !ok {
				t.Fatalf("no obligation %s", tt.id)
			}
			if !o.Due.Equal(mustTime(tt.due)) {
				t.Errorf("due %s, want %s", o.Due.In(domain.Anchorage).Format(time.RFC3339), tt.due)
			}
			if got := o.Status(now, l.policy); got != tt.status {
				t.Errorf("status %s, want %s", got, tt.status)
			}
		})
	}
}
