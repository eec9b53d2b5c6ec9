package domain

import (
	"strings"
	"time"

	"github.com/wsledger/wsledger/events"
)

// monthly adds, for every month from registration through now's month, the internal file
// review and the staff roster, and for every month that has ended, its performance invoice.
func (l *obligationList) monthly() {
	current := DateOf(l.now).MonthOf()
	l.changesAt(current.Next().First().Start())
	for m := DateOf(l.s.registeredAt).MonthOf(); !current.First().Before(m.First()); m = m.Next() {
		l.monthDuties(m)
	}
}

// monthDuties adds month m's internal file review and staff roster and, once the month has
// ended, its performance invoice (opened when the next month begins).
func (l *obligationList) monthDuties(m Month) {
	opened := m.First().Start()
	l.fileReview(m, opened)
	roster := Obligation{
		Kind: ObligationStaffRoster, Subject: m.String(), Source: "WSPM 1015-12",
		OpenedAt: opened, Due: l.p.Calendar.LastBusinessDay(m).End(),
	}
	roster.met(l.rosterAt(m))
	l.add(roster)
	invoice := Obligation{
		Kind: ObligationPerformanceInvoice, Subject: m.String(), Source: "WSPM 1015, performance reports, 3",
		OpenedAt: m.Next().First().Start(), Due: ThirtiethOfNextMonth(m).End(),
	}
	invoice.met(l.s.reports[events.ReportPerformanceInvoice+"-"+m.String()])
	l.add(invoice)
}

func (l *obligationList) rosterAt(m Month) mark {
	if r := l.s.rosters[m.String()]; r != nil {
		return r.first
	}
	return mark{}
}

// fileReview adds the month's internal file review, met as FileReviewCoverage says: at least
// InternalReviewSampleSize of the month's latest caseload reviewed, every case manager's files
// among them.
func (l *obligationList) fileReview(m Month, opened time.Time) {
	o := Obligation{
		Kind: ObligationFileReview, Subject: m.String(), Source: "Due diligence B, B.3",
		OpenedAt: opened, Due: m.Last().End(),
	}
	for _, r := range l.s.monthReviews[m.String()] {
		l.noteInstant(r.at)
	}
	if cl := l.s.caseloads[m.String()]; cl != nil {
		l.noteInstant(cl.reported.at) // an empty caseload is met when reported
	}
	c := l.s.fileReviewCoverage(m.String(), l.now)
	switch {
	case !c.Reported:
		o.Note = "No caseload has been reported for the month, so the number of files to review is not known."
	case !c.Met && c.Reviewed >= c.Required:
		o.Note = "No file of " + strings.Join(c.Unreviewed(), ", ") + " has been reviewed; due diligence B asks for reviews for each staff person."
	}
	o.Required, o.Done, o.MetAt, o.MetRecordedAt = c.Required, c.Reviewed, c.MetAt, c.MetRecordedAt
	l.add(o)
}

// quarterly adds the QCIP of every calendar quarter that ended after registration.
func (l *obligationList) quarterly() {
	m := DateOf(l.s.registeredAt).MonthOf()
	for ; !l.now.Before(m.Last().End()); m = m.Next() {
		if m.Month%3 == 0 {
			l.qcip(m)
		}
	}
	l.changesAt(m.Last().End()) // the next quarter's end, or a month's
}

// qcip adds the QCIP of the quarter that ends with month m, opened when the quarter ends.
func (l *obligationList) qcip(m Month) {
	q := quarterOf(m)
	o := Obligation{
		Kind: ObligationQCIP, Subject: q, Source: "WSPM 1015, QCIP, 3",
		OpenedAt: m.Last().End(), Due: ThirtiethOfNextMonth(m).End(),
	}
	o.met(l.s.reports[events.ReportQCIP+"-"+q])
	l.add(o)
}

func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
