package domain

import (
	"iter"
	"maps"
	"time"

	"github.com/wsledger/wsledger/events"
)

// unitKind names what a unit of the agenda derives its obligations from.
type unitKind uint8

const (
	unitMonth          unitKind = iota // a month's file review, roster, invoice, QCIP and performance confirmation
	unitFinding                        // a finding's correction
	unitWSQR                           // a WSQR's response
	unitConcern                        // a concern's returned call, WSTA notice and forwarding
	unitRecommendation                 // a WSTA recommendation's implementation
	unitEmergency                      // seeing an emergency client
	unitChange                         // reporting a change of circumstances
	unitDPAReport                      // the response to a DPA report
	unitGrievance                      // a period's data grievance window
)

// unitKey is one unit of the agenda: the obligations one record of the state (or one month)
// gives, derived together. Every obligation belongs to exactly one unit.
type unitKey struct {
	kind unitKind
	id   string
}

// unit adds the obligations of one unit at now, as Book.ObligationsHolding adds them, and notes
// the instants at which they may change. It reports whether the unit is one the obligations are
// derived from at now (its record exists; a month from registration through now's) and, for a
// concern, whether it was received by now.
func (l *obligationList) unit(k unitKey) (found, received bool) {
	s := l.s
	switch k.kind {
	case unitMonth:
		m, err := ParseMonth(k.id)
		if found = err == nil && m.String() == k.id && !m.First().Before(DateOf(s.registeredAt).MonthOf().First()) &&
			!DateOf(l.now).MonthOf().First().Before(m.First()); !found {
			return false, false
		}
		l.monthDuties(m)
		if m.Month%3 == 0 {
			l.qcip(m)
		}
		if len(s.confirmations) > 0 {
			l.noteConfirmations()
			l.confirmationMonth(m)
		}
	case unitFinding:
		found = derive(s.findings, k.id, func(f *findingRecord) { l.finding(f) })
	case unitWSQR:
		found = derive(s.wsqrs, k.id, func(w *wsqrRecord) { l.wsqr(k.id, w) })
	case unitConcern:
		found = derive(s.concerns, k.id, func(c *concernRecord) {
			l.concern(k.id, c)
			received = !c.receivedAt.After(l.now)
			l.noteInstant(c.receivedAt) // the concern comes into view, and is forwarded
			if !c.forwarded.IsZero() {
				l.noteInstant(c.forwarded.at)
			}
		})
	case unitRecommendation:
		found = derive(s.recommendations, k.id, func(r *recommendationRecord) { l.recommendation(k.id, r) })
	case unitEmergency:
		found = derive(s.emergencies, k.id, func(d *clientDuty) { l.emergency(k.id, d) })
	case unitChange:
		found = derive(s.changes, k.id, func(d *clientDuty) { l.change(k.id, d) })
	case unitDPAReport:
		found = derive(s.dpaReports, k.id, func(r *dpaReportRecord) { l.dpaReport(k.id, r, l.confirmingList(r)) })
	case unitGrievance:
		found = derive(s.measures, k.id, func(posted time.Time) { l.grievance(k.id, posted) })
	}
	return found, received
}

// derive calls add with the record of id, if there is one, and reports whether there is.
func derive[R any](records map[string]R, id string, add func(R)) bool {
	r, ok := records[id]
	if ok {
		add(r)
	}
	return ok
}

// confirmingList reports whether r is the participant list of a month under performance
// confirmation at now (one of the months performanceConfirmation returns), noting when that may
// change.
func (l *obligationList) confirmingList(r *dpaReportRecord) bool {
	if r.kind != events.DPAReportParticipantList || len(l.s.confirmations) == 0 {
		return false
	}
	m, err := ParseMonth(r.period)
	if err != nil || m.String() != r.period || m.First().Before(DateOf(l.s.registeredAt).MonthOf().First()) {
		return false
	}
	if DateOf(l.now).MonthOf().First().Before(m.First()) {
		l.changesAt(m.First().Start()) // not a month of the obligations before it begins
		return false
	}
	l.noteConfirmations()
	started, _ := l.confirming(m)
	return started
}

// touched returns the units an event's payload may change the obligations of, or every when it
// may change them all (a registration, new policy settings, an event this agenda does not know).
func (a *Agenda) touched(payload any) (keys []unitKey, every bool) {
	month := func(m string) unitKey { return unitKey{unitMonth, m} }
	findings := func(fs []events.Finding) {
		for _, f := range fs {
			a.noteFinding(f.FindingID)
			keys = append(keys, unitKey{unitFinding, f.FindingID})
		}
	}
	switch p := payload.(type) {
	case events.FileReviewSampleDrawn, events.AccessDenied, events.HistoryRecovered:
	case events.StaffRosterSubmitted:
		keys = append(keys, month(p.Month))
	case events.CaseloadReported:
		keys = append(keys, month(p.Month))
	case events.FileReviewRecorded:
		keys = append(keys, month(p.Month))
		findings(p.Findings)
	case events.CorrectionCompleted:
		keys = append(keys, unitKey{unitFinding, p.FindingID})
	case events.WSQRFindingsReceived:
		keys = append(keys, unitKey{unitWSQR, p.WSQRID})
		findings(p.Findings)
	case events.WSQRResponseSubmitted:
		keys = append(keys, unitKey{unitWSQR, p.WSQRID})
	case events.PerformanceConfirmationConfirmed:
		// Every month's duty and every participant list's response may change.
		for m := DateOf(a.book.state.registeredAt).MonthOf(); a.monthsHeld && !a.lastMonth.First().Before(m.First()); m = m.Next() {
			keys = append(keys, month(m.String()))
		}
		for id, r := range a.book.state.dpaReports {
			if r.kind == events.DPAReportParticipantList {
				keys = append(keys, unitKey{unitDPAReport, id})
			}
		}
	case events.ClientCallReceived:
		keys = append(keys, unitKey{unitConcern, p.ConcernID})
	case events.ConcernReceived:
		keys = append(keys, unitKey{unitConcern, p.ConcernID})
	case events.ClientCallReturned:
		keys = append(keys, unitKey{unitConcern, p.ConcernID})
	case events.ConcernResolved:
		keys = append(keys, unitKey{unitConcern, p.ConcernID})
	case events.WSTANoticeDelivered:
		keys = append(keys, unitKey{unitConcern, p.ConcernID})
	case events.ConcernDeclaredUnresolved:
		keys = append(keys, unitKey{unitConcern, p.ConcernID})
	case events.ConcernForwardedToWSTA:
		keys = append(keys, unitKey{unitConcern, p.ConcernID})
	case events.WSTARecommendationReceived:
		keys = append(keys, unitKey{unitRecommendation, p.RecommendationID}, unitKey{unitConcern, p.ConcernID})
	case events.WSTARecommendationImplemented:
		keys = append(keys, unitKey{unitRecommendation, p.RecommendationID})
	case events.EmergencyDisclosed:
		keys = append(keys, unitKey{unitEmergency, p.EmergencyID})
	case events.EmergencyClientSeen:
		keys = append(keys, unitKey{unitEmergency, p.EmergencyID})
	case events.CircumstanceChangeLearned:
		keys = append(keys, unitKey{unitChange, p.ChangeID})
	case events.CircumstanceChangeReported:
		keys = append(keys, unitKey{unitChange, p.ChangeID})
	case events.DPAReportReceived:
		keys = append(keys, unitKey{unitDPAReport, p.ReportID}, month(p.Period))
		findings(p.Findings)
	case events.DPAReportResponded:
		keys = append(keys, unitKey{unitDPAReport, p.ReportID})
		if r := a.book.state.dpaReports[p.ReportID]; r != nil {
			keys = append(keys, month(r.period))
		}
	case events.PerformanceMeasuresPosted:
		keys = append(keys, unitKey{unitGrievance, p.Period})
	case events.ReportSubmitted:
		keys = append(keys, month(p.Period), unitKey{unitGrievance, p.Period})
		if y, q, ok := parseQuarter(p.Period); ok {
			keys = append(keys, month(Month{y, time.Month(3 * q)}.String()))
		}
	default:
		return nil, true
	}
	return keys, false
}

// eachUnit calls fn with every unit of the state's records (the months aside), findings in the
// order they were made.
func (a *Agenda) eachUnit(fn func(unitKey)) {
	s := a.book.state
	for _, id := range s.findingOrder {
		a.noteFinding(id)
		fn(unitKey{unitFinding, id})
	}
	each := func(kind unitKind, ids iter.Seq[string]) {
		for id := range ids {
			fn(unitKey{kind, id})
		}
	}
	each(unitWSQR, maps.Keys(s.wsqrs))
	each(unitConcern, maps.Keys(s.concerns))
	each(unitRecommendation, maps.Keys(s.recommendations))
	each(unitEmergency, maps.Keys(s.emergencies))
	each(unitChange, maps.Keys(s.changes))
	each(unitDPAReport, maps.Keys(s.dpaReports))
	each(unitGrievance, maps.Keys(s.measures))
}

// farFuture stands for no instant: a unit whose obligations never change with time.
var farFuture = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
