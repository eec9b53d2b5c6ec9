package domain

import (
	"time"

	"github.com/wsledger/wsledger/events"
)

// Clock-hour deadlines of due diligence E.4 and I.
const (
	recommendationHours = 24 * time.Hour
	emergencyHours      = 48 * time.Hour
)

// Business-day deadlines the manual fixes.
const (
	correctionBusinessDays  = 10 // due diligence C
	callReturnBusinessDays  = 1  // due diligence E.1
	dpaResponseBusinessDays = 10 // WSPM 1015: inconsistent data report, participant list
)

// findings adds the correction of every negative finding and the written response to every WSQR.
func (l *obligationList) findings() {
	for _, id := range l.s.findingOrder {
		l.finding(l.s.findings[id])
	}
	for id, w := range l.s.wsqrs {
		l.wsqr(id, w)
	}
}

// finding adds the correction of a negative finding.
func (l *obligationList) finding(f *findingRecord) {
	if !f.negative {
		return
	}
	o := Obligation{
		Kind: ObligationCorrection, Subject: f.id, Owner: f.owner, Source: "Due diligence C",
		OpenedAt: f.openedAt, Due: l.withinBusinessDays(f.openedAt, correctionBusinessDays),
		Note: "Found by " + sourceName(f.source) + " " + f.sourceID + ".",
	}
	o.met(f.corrected)
	l.add(o)
}

// wsqr adds the written response to a WSQR.
func (l *obligationList) wsqr(id string, w *wsqrRecord) {
	due, _ := ParseDate(w.responseDue)
	o := Obligation{
		Kind: ObligationWSQRResponse, Subject: id, Owner: w.owner, Source: "Due diligence D.1",
		OpenedAt: w.openedAt, Due: due.End(),
	}
	o.met(w.responded)
	l.add(o)
}

// concerns adds, for every concern, the returned call (of a call or voicemail), the WSTA notice
// of its resolution and its forwarding to WSTA, and for every WSTA recommendation its
// implementation.
func (l *obligationList) concerns() {
	for id, k := range l.s.concerns {
		l.concern(id, k)
	}
	for id, r := range l.s.recommendations {
		l.recommendation(id, r)
	}
}

// concern adds a concern's returned call (of a call or voicemail), the WSTA notice of its
// resolution and its forwarding to WSTA.
func (l *obligationList) concern(id string, k *concernRecord) {
	if k.callback() {
		o := Obligation{
			Kind: ObligationCallReturn, Subject: id, Owner: k.owner, Source: "Due diligence E.1",
			OpenedAt: k.receivedAt, Due: l.withinBusinessDays(k.receivedAt, callReturnBusinessDays),
		}
		o.met(k.returned)
		l.add(o)
	}
	if !k.resolved.IsZero() {
		o := Obligation{
			Kind: ObligationWSTANotice, Subject: id, Owner: k.owner, Source: "Due diligence E.2, E.5",
			OpenedAt: k.resolved.at, Due: l.withinBusinessDays(k.resolved.at, l.settingAt(k.resolved.at).WSTANoticeBusinessDays),
			Note: noticeNote(k, l.now),
		}
		o.met(k.notice)
		l.add(o)
	}
	if !k.unresolvedAt.IsZero() {
		o := Obligation{
			Kind: ObligationConcernForward, Subject: id, Owner: k.owner, Source: "Due diligence E.3",
			OpenedAt: k.unresolvedAt, Due: l.withinBusinessDays(k.unresolvedAt, l.settingAt(k.unresolvedAt).ForwardConcernBusinessDays),
		}
		o.met(earliest(k.forwarded, k.resolved))
		l.add(o)
	}
}

// recommendation adds the implementation of a WSTA recommendation.
func (l *obligationList) recommendation(id string, r *recommendationRecord) {
	o := Obligation{
		Kind: ObligationRecommendation, Subject: id, Owner: r.owner, Source: "Due diligence E.4",
		OpenedAt: r.receivedAt, Due: r.receivedAt.Add(recommendationHours),
	}
	o.met(r.implemented)
	l.add(o)
}

// noticeNote says how WSTA is told of a resolution and, at now, whether it was.
func noticeNote(k *concernRecord, now time.Time) string {
	switch {
	case k.noticeMode != events.NoticeEmail:
		return "Recorded before the ledger e-mailed WSTA: the notice counts as given when the ledger recorded the resolution."
	case !k.notice.IsZero() && !k.notice.at.After(now):
		return "E-mailed to WSTA; its mail server accepted Message-ID " + k.messageID + "."
	}
	return "To be e-mailed to WSTA with the client number and the CLNO date; met when WSTA's mail server accepts it."
}

// clientDuties adds seeing every emergency client and reporting every change of circumstances.
func (l *obligationList) clientDuties() {
	for id, d := range l.s.emergencies {
		l.emergency(id, d)
	}
	for id, d := range l.s.changes {
		l.change(id, d)
	}
}

// emergency adds seeing an emergency client.
func (l *obligationList) emergency(id string, d *clientDuty) {
	o := Obligation{
		Kind: ObligationEmergencyVisit, Subject: id, Owner: d.owner, Source: "Due diligence I",
		OpenedAt: d.openedAt, Due: d.openedAt.Add(emergencyHours),
	}
	o.met(d.met)
	l.add(o)
}

// change adds reporting a change of circumstances.
func (l *obligationList) change(id string, d *clientDuty) {
	o := Obligation{
		Kind: ObligationChangeReport, Subject: id, Owner: d.owner, Source: "Due diligence J (policy setting)",
		OpenedAt: d.openedAt, Due: l.withinBusinessDays(d.openedAt, l.settingAt(d.openedAt).ChangeReportBusinessDays),
	}
	o.met(d.met)
	l.add(o)
}

// dpaReports adds the written response to every inconsistent data report (10 business days from
// distribution) and participant list (10 business days from receipt), but for the participant
// lists of the confirming months, whose response is the month's performance_confirmation duty.
func (l *obligationList) dpaReports(confirming map[string]bool) {
	for id, r := range l.s.dpaReports {
		l.dpaReport(id, r, confirming[r.period])
	}
}

// dpaReport adds the written response to a DPA report; a participant list of a confirming month
// opens none of its own.
func (l *obligationList) dpaReport(id string, r *dpaReportRecord, confirming bool) {
	o := Obligation{Subject: id, Owner: r.owner, OpenedAt: r.receivedAt, Remarks: r.remarks}
	o.met(r.responded)
	switch r.kind {
	case events.DPAReportInconsistentData:
		o.Kind, o.Source = ObligationInconsistentData, "WSPM 1015, inconsistent data report, 3"
		if d, err := ParseDate(r.distributedOn); err == nil {
			o.OpenedAt = d.Start() // the clock runs from distribution, which Decide keeps on or before receipt
		}
		o.Due = l.withinBusinessDays(o.OpenedAt, dpaResponseBusinessDays)
	case events.DPAReportParticipantList:
		if confirming {
			return
		}
		o.Kind, o.Source = ObligationParticipantList, "WSPM 1015, participant list, 3"
		o.Due = l.withinBusinessDays(r.receivedAt, dpaResponseBusinessDays)
	default:
		return
	}
	l.add(o)
}

// grievanceWindows adds, for every month's posted performance measures, the window in which a
// data grievance may be filed. It is optional: unused, it disappears when it closes.
func (l *obligationList) grievanceWindows() {
	for period, posted := range l.s.measures {
		l.grievance(period, posted)
	}
}

// grievance adds the data grievance window of a period's measures, posted at posted.
func (l *obligationList) grievance(period string, posted time.Time) {
	o := Obligation{
		Kind: ObligationDataGrievance, Subject: period, Source: "WSPM 1015-3; WSPM 1018-6 (policy setting)",
		OpenedAt: posted, Due: l.withinBusinessDays(posted, l.settingAt(posted).GrievanceBusinessDays), Optional: true,
	}
	o.met(l.s.reports[events.ReportDataGrievance+"-"+period])
	l.add(o)
}

// earliest returns the earlier of two marks, ignoring zero ones.
func earliest(a, b mark) mark {
	if a.IsZero() || (!b.IsZero() && b.at.Before(a.at)) {
		return b
	}
	return a
}
