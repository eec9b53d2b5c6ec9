package domain

import (
	"cmp"
	"slices"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/wsledger/wsledger/events"
)

// wsqrsByPeriod returns the WSQRs in the order of the periods they review: by the period's last
// day, and reviews of periods that end together in the order the ledger recorded them. A March
// review recorded after a June one still comes first.
func (s *State) wsqrsByPeriod() []*wsqrRecord {
	ws := make([]*wsqrRecord, 0, len(s.wsqrs))
	for _, w := range s.wsqrs {
		ws = append(ws, w)
	}
	slices.SortFunc(ws, func(a, b *wsqrRecord) int {
		return cmp.Or(ComparePeriods(a.period, b.period), cmp.Compare(a.seq, b.seq))
	})
	return ws
}

// ComparePeriods orders periods (YYYY-MM, YYYY-Qn, YYYY) by their last day: the order in which
// performance confirmation follows the WSQRs that review them.
func ComparePeriods(a, b string) int {
	ea, _ := periodEnd(a)
	eb, _ := periodEnd(b)
	return ea.Compare(eb)
}

// confirmationOf is the computed performance-confirmation status after the reviews, taken in
// order with ConfirmationRequired.
func confirmationOf(ws []*wsqrRecord) bool {
	required := false
	for _, w := range ws {
		required = ConfirmationRequired(required, parseAccuracy(w.accuracy))
	}
	return required
}

// confirmationBefore is the computed status before a review of period: after every review of a
// period that ends on or before it (those recorded earlier, for the same end).
func (s *State) confirmationBefore(period string) bool {
	ws := s.wsqrsByPeriod()
	n := 0
	for n < len(ws) && ComparePeriods(ws[n].period, period) <= 0 {
		n++
	}
	return confirmationOf(ws[:n])
}

// parseAccuracy reads an accuracy the ledger wrote; nil (no change of status) when it cannot.
func parseAccuracy(s string) *apd.Decimal {
	d, _, err := apd.NewFromString(s)
	if err != nil {
		return nil
	}
	return d
}

// wstaStateAt returns whether WSTA had confirmed performance confirmation as started at t, and
// since when: its latest confirmation at or before t.
func (s *State) wstaStateAt(t time.Time) (started bool, since time.Time) {
	for _, c := range s.confirmations {
		if !c.at.After(t) && !c.at.Before(since) {
			started, since = c.started, c.at
		}
	}
	return started, since
}

// Performance confirmation's monthly duty (WSPM 1015, participant list, 3).
const (
	// confirmationListLastExpected: the participant list is distributed "three – five business
	// days after the 20th of the month"; after the fifth the missing list is a warning.
	confirmationListLastExpected = 5
)

// performanceConfirmation adds, for every month WSTA's confirmation of the start is in force on
// the 20th (the list that selects the month's group follows it), a performance_confirmation
// duty, met by the written response to the month's participant list within 10 working days of
// its receipt. Until the list is recorded the duty waits for DPA, with a warning once the fifth
// business day after the 20th has passed. It returns the months, whose participant lists then
// open no participant_list_response duty of their own.
func (l *obligationList) performanceConfirmation() map[string]bool {
	if len(l.s.confirmations) == 0 {
		return nil
	}
	l.noteConfirmations()
	months := map[string]bool{}
	current := DateOf(l.now).MonthOf()
	for m := DateOf(l.s.registeredAt).MonthOf(); !current.First().Before(m.First()); m = m.Next() {
		if l.confirmationMonth(m) {
			months[m.String()] = true
		}
	}
	return months
}

// noteConfirmations notes the instants of WSTA's confirmations, at which the months under
// performance confirmation may change.
func (l *obligationList) noteConfirmations() {
	for _, c := range l.s.confirmations {
		if c.at.After(l.now) {
			l.changesAt(c.at)
		} else {
			l.changedAt(c.at)
		}
	}
}

// confirming reports whether WSTA's confirmation of the start is in force on month m's 20th
// (at now, while it has not ended), and since when.
func (l *obligationList) confirming(m Month) (started bool, since time.Time) {
	twentieth := Date{m.Year, m.Month, 20}
	checked := twentieth.End()
	if l.now.Before(checked) {
		checked = l.now
		l.changesAt(twentieth.End())
	}
	return l.s.wstaStateAt(checked)
}

// confirmationMonth adds month m's performance_confirmation duty when m is a confirming month,
// and reports whether it is.
func (l *obligationList) confirmationMonth(m Month) bool {
	started, since := l.confirming(m)
	if started {
		l.add(l.confirmationDuty(m, latest(latest(m.First().Start(), since), l.s.registeredAt)))
	}
	return started
}

// confirmationDuty is month m's performance_confirmation duty, opened at opened.
func (l *obligationList) confirmationDuty(m Month, opened time.Time) Obligation {
	o := Obligation{
		Kind: ObligationPerformanceConfirmation, Subject: m.String(), Source: "WSPM 1015, participant list, 3; performance confirmation",
		OpenedAt: opened,
	}
	if r := l.participantList(m); r != nil {
		o.Owner, o.Due, o.Remarks = r.owner, l.withinBusinessDays(r.receivedAt, dpaResponseBusinessDays), r.remarks
		o.met(r.responded)
		return o
	}
	expected := l.p.Calendar.BusinessDaysAfterThe20th(m, confirmationListLastExpected)
	o.WaitingFor, o.Due = WaitingForDPA, l.p.Calendar.AddBusinessDays(expected, dpaResponseBusinessDays).End()
	o.Note = "Waiting for DPA's participant list of " + m.String() + ", expected 3 to 5 business days after the 20th; the written response to its selected group is due 10 working days after it is received."
	if l.now.Before(expected.End()) {
		l.changesAt(expected.End())
	} else {
		l.changedAt(expected.End())
		o.Warning = "DPA's participant list of " + m.String() + " was expected by " + expected.String() + " (the fifth business day after the 20th) and has not been recorded."
	}
	return o
}

// participantList returns the first participant list of month m received by now; a later one
// changes the obligations when it arrives, and one received by now changed them when it did.
func (l *obligationList) participantList(m Month) *dpaReportRecord {
	var first *dpaReportRecord
	for _, r := range l.s.dpaReports {
		if r.kind != events.DPAReportParticipantList || r.period != m.String() {
			continue
		}
		if r.receivedAt.After(l.now) {
			l.changesAt(r.receivedAt)
			continue
		}
		l.changedAt(r.receivedAt) // the duty stopped waiting for DPA then
		if first == nil || r.receivedAt.Before(first.receivedAt) {
			first = r
		}
	}
	return first
}
