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
		f := l.s.findings[id]
		if !f.negative {
			continue
		}
		l.add(Obligation{
			Kind: ObligationCorrection, Subject: f.id, Owner: f.owner, Source: "Due diligence C",
			OpenedAt: f.openedAt, Due: l.withinBusinessDays(f.openedAt, correctionBusinessDays), MetAt: f.correctedAt,
			Note: "Found by " + sourceName(f.source) + " " + f.sourceID + ".",
		})
	}
	for id, w := range l.s.wsqrs {
		due, _ := ParseDate(w.responseDue)
		l.add(Obligation{
			Kind: ObligationWSQRResponse, Subject: id, Owner: w.owner, Source: "Due diligence D.1",
			OpenedAt: w.openedAt, Due: due.End(), MetAt: w.respondedAt,
		})
	}
}

// concerns adds, for every concern, the returned call (of a call or voicemail), the WSTA notice of its resolution and its
// forwarding to WSTA, and for every WSTA recommendation its implementation.
func (l *obligationList) concerns() {
	for id, k := range l.s.concerns {
		if k.callback() {
			l.add(Obligation{
				Kind: ObligationCallReturn, Subject: id, Owner: k.owner, Source: "Due diligence E.1",
				OpenedAt: k.receivedAt, Due: l.withinBusinessDays(k.receivedAt, callReturnBusinessDays), MetAt: k.returnedAt,
			})
		}
		if !k.resolvedAt.IsZero() {
			l.add(Obligation{
				Kind: ObligationWSTANotice, Subject: id, Owner: k.owner, Source: "Due diligence E.2, E.5",
				OpenedAt: k.resolvedAt, Due: l.withinBusinessDays(k.resolvedAt, l.p.WSTANoticeBusinessDays), MetAt: k.noticeAt,
				Note: "The notice is the resolution's publication to WSTA, at the time the ledger recorded it.",
			})
		}
		if !k.unresolvedAt.IsZero() {
			l.add(Obligation{
				Kind: ObligationConcernForward, Subject: id, Owner: k.owner, Source: "Due diligence E.3",
				OpenedAt: k.unresolvedAt, Due: l.withinBusinessDays(k.unresolvedAt, l.p.ForwardConcernBusinessDays),
				MetAt: earliest(k.forwardedAt, k.resolvedAt),
			})
		}
	}
	for id, r := range l.s.recommendations {
		l.add(Obligation{
			Kind: ObligationRecommendation, Subject: id, Owner: r.owner, Source: "Due diligence E.4",
			OpenedAt: r.receivedAt, Due: r.receivedAt.Add(recommendationHours), MetAt: r.implementedAt,
		})
	}
}

// clientDuties adds seeing every emergency client and reporting every change of circumstances.
func (l *obligationList) clientDuties() {
	for id, d := range l.s.emergencies {
		l.add(Obligation{
			Kind: ObligationEmergencyVisit, Subject: id, Owner: d.owner, Source: "Due diligence I",
			OpenedAt: d.openedAt, Due: d.openedAt.Add(emergencyHours), MetAt: d.metAt,
		})
	}
	for id, d := range l.s.changes {
		l.add(Obligation{
			Kind: ObligationChangeReport, Subject: id, Owner: d.owner, Source: "Due diligence J (policy setting)",
			OpenedAt: d.openedAt, Due: l.withinBusinessDays(d.openedAt, l.p.ChangeReportBusinessDays), MetAt: d.metAt,
		})
	}
}

// dpaReports adds the written response to every inconsistent data report (10 business days from
// distribution) and participant list (10 business days from receipt), but for the participant
// lists of the confirming months, whose response is the month's performance_confirmation duty.
func (l *obligationList) dpaReports(confirming map[string]bool) {
	for id, r := range l.s.dpaReports {
		o := Obligation{Subject: id, Owner: r.owner, OpenedAt: r.receivedAt, MetAt: r.respondedAt, Remarks: r.remarks}
		switch r.kind {
		case events.DPAReportInconsistentData:
			o.Kind, o.Source = ObligationInconsistentData, "WSPM 1015, inconsistent data report, 3"
			if d, err := ParseDate(r.distributedOn); err == nil {
				o.OpenedAt = d.Start() // the clock runs from distribution, which Decide keeps on or before receipt
			}
			o.Due = l.withinBusinessDays(o.OpenedAt, dpaResponseBusinessDays)
		case events.DPAReportParticipantList:
			if confirming[r.period] {
				continue
			}
			o.Kind, o.Source = ObligationParticipantList, "WSPM 1015, participant list, 3"
			o.Due = l.withinBusinessDays(r.receivedAt, dpaResponseBusinessDays)
		default:
			continue
		}
		l.add(o)
	}
}

// grievanceWindows adds, for every month's posted performance measures, the window in which a
// data grievance may be filed. It is optional: unused, it disappears when it closes.
func (l *obligationList) grievanceWindows() {
	for period, posted := range l.s.measures {
		l.add(Obligation{
			Kind: ObligationDataGrievance, Subject: period, Source: "WSPM 1015-3; WSPM 1018-6 (policy setting)",
			OpenedAt: posted, Due: l.withinBusinessDays(posted, l.p.GrievanceBusinessDays),
			MetAt: l.s.reports[events.ReportDataGrievance+"-"+period], Optional: true,
		})
	}
}

// earliest returns the earlier of two instants, ignoring zero ones.
func earliest(a, b time.Time) time.Time {
	if a.IsZero() || (!b.IsZero() && b.Before(a)) {
		return b
	}
	return a
}
