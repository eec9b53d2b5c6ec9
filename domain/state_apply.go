package domain

import (
	"cmp"
	"slices"
	"time"

	"github.com/wsledger/wsledger/events"
)

// apply records one decoded event. Events are facts already accepted, so apply never refuses
// one: a reference to something unknown (which Decide would have refused) is kept as far as it
// can be.
func (s *State) apply(e events.Envelope, payload any) {
	at, by := e.OccurredAt, e.Actor.StaffID
	switch p := payload.(type) {
	case events.ProviderRegistered:
		if s.registeredAt.IsZero() {
			s.registeredAt = at
		}
	case events.StaffRosterSubmitted:
		s.applyRoster(p, markOf(e))
	case events.CaseloadReported:
		s.applyCaseload(p, e.Sequence, markOf(e))
	case events.FileReviewSampleDrawn:
		if c := s.caseloads[p.Month]; c != nil {
			s.samples[p.Month] = c.seq
		}
	case events.FileReviewRecorded:
		r := &reviewRecord{month: p.Month, caseID: p.CaseID, at: at, recorded: e.RecordedAt}
		s.reviews[p.ReviewID] = r
		s.monthReviews[p.Month] = append(s.monthReviews[p.Month], r)
		s.addFindings(p.Findings, events.SourceFileReview, p.ReviewID, p.CaseManagerID, at)
	case events.CorrectionCompleted:
		setOnce(s.findings[p.FindingID], func(f *findingRecord) *mark { return &f.corrected }, markOf(e))
	case events.WSQRFindingsReceived:
		s.applyWSQR(p, e.Sequence, by, at)
	case events.WSQRResponseSubmitted:
		setOnce(s.wsqrs[p.WSQRID], func(w *wsqrRecord) *mark { return &w.responded }, markOf(e))
	case events.PolicySettingsRecorded:
		s.settings = append(s.settings, settingsRecord{at: at, policy: PolicyOf(p)})
	case events.PerformanceConfirmationConfirmed:
		// WSTA's confirmation does not change the computed status; it starts and ends the months
		// under performance confirmation.
		s.confirmations = append(s.confirmations, wstaConfirmation{at: at, started: p.State == events.ConfirmationStarted})
	default:
		s.applyClientEvent(e, payload)
		s.applyReportEvent(e, payload)
	}
}

func (s *State) applyRoster(p events.StaffRosterSubmitted, at mark) {
	r := &roster{staff: make(map[string]events.StaffMember, len(p.Staff)), first: at}
	if old := s.rosters[p.Month]; old != nil {
		r.first = old.first
	}
	for _, m := range p.Staff {
		r.staff[m.StaffID] = m
	}
	s.rosters[p.Month] = r
}

func (s *State) applyCaseload(p events.CaseloadReported, seq uint64, at mark) {
	c := &caseload{cases: make(map[string]events.Case, len(p.Cases)), seq: seq, reported: at}
	for _, k := range p.Cases {
		c.cases[k.CaseID] = k
		c.order = append(c.order, k.CaseID)
		if !slices.Contains(c.managers, k.CaseManagerID) {
			c.managers = append(c.managers, k.CaseManagerID)
		}
	}
	slices.Sort(c.managers)
	s.caseloads[p.Month] = c
}

func (s *State) applyWSQR(p events.WSQRFindingsReceived, seq uint64, by string, at time.Time) {
	w := &wsqrRecord{period: p.Period, accuracy: p.Accuracy, seq: seq, responseDue: p.ResponseDue, owner: by, openedAt: at}
	for _, f := range p.Findings {
		w.findings = append(w.findings, f.FindingID)
		if f.Negative {
			w.negative = append(w.negative, f.FindingID)
		}
	}
	s.wsqrs[p.WSQRID] = w
	s.confirmation = confirmationOf(s.wsqrsByPeriod())
	s.addFindings(p.Findings, events.SourceWSQR, p.WSQRID, by, at)
}

func (s *State) addFindings(fs []events.Finding, source, sourceID, owner string, at time.Time) {
	for _, f := range fs {
		if _, dup := s.findings[f.FindingID]; dup {
			continue
		}
		s.findings[f.FindingID] = &findingRecord{id: f.FindingID, source: source, sourceID: sourceID,
			negative: f.Negative, owner: owner, openedAt: at}
		s.findingOrder = append(s.findingOrder, f.FindingID)
	}
}

// applyClientEvent records concerns, recommendations, emergencies and changes of circumstances.
func (s *State) applyClientEvent(e events.Envelope, payload any) {
	at, by := e.OccurredAt, e.Actor.StaffID
	switch p := payload.(type) {
	case events.ClientCallReceived:
		s.receiveConcern(p.ConcernID, p.ClientNumber, events.ChannelPhone, by, at)
	case events.ConcernReceived:
		s.receiveConcern(p.ConcernID, p.ClientNumber, p.Channel, by, at)
	case events.ClientCallReturned:
		setOnce(s.concerns[p.ConcernID], func(c *concernRecord) *mark { return &c.returned }, markOf(e))
	case events.ConcernResolved:
		if c := s.concerns[p.ConcernID]; c != nil && c.resolved.IsZero() {
			c.resolved, c.noticeMode = markOf(e), p.Notice
			if p.Notice == events.NoticeRecorded {
				c.notice = mark{latest(e.RecordedAt, at), e.RecordedAt} // published when recorded
			}
			c.clientNumber = cmp.Or(c.clientNumber, p.ClientNumber)
		}
	case events.WSTANoticeDelivered:
		if c := s.concerns[p.ConcernID]; c != nil && c.notice.IsZero() {
			c.notice, c.messageID = markOf(e), p.MessageID
		}
	case events.ConcernDeclaredUnresolved:
		if c := s.concerns[p.ConcernID]; c != nil && c.unresolvedAt.IsZero() {
			c.unresolvedAt = at
		}
	case events.ConcernForwardedToWSTA:
		if c := s.concerns[p.ConcernID]; c != nil {
			setOnce(c, func(c *concernRecord) *mark { return &c.forwarded }, markOf(e))
			c.clientNumber = cmp.Or(c.clientNumber, p.ClientNumber)
		}
	case events.WSTARecommendationReceived:
		s.recommendations[p.RecommendationID] = &recommendationRecord{concernID: p.ConcernID, owner: by, receivedAt: at}
		if s.concerns[p.ConcernID] == nil {
			// The client bypassed the provider (E.4): WSTA's notice makes it the provider's concern.
			s.concerns[p.ConcernID] = &concernRecord{channel: events.ChannelWSTAReferral, referred: true, owner: by, receivedAt: at}
		}
	case events.WSTARecommendationImplemented:
		setOnce(s.recommendations[p.RecommendationID], func(r *recommendationRecord) *mark { return &r.implemented }, markOf(e))
	case events.EmergencyDisclosed:
		s.emergencies[p.EmergencyID] = &clientDuty{owner: by, openedAt: at}
	case events.EmergencyClientSeen:
		setOnce(s.emergencies[p.EmergencyID], (*clientDuty).metMark, markOf(e))
	case events.CircumstanceChangeLearned:
		s.changes[p.ChangeID] = &clientDuty{owner: by, openedAt: at}
	case events.CircumstanceChangeReported:
		setOnce(s.changes[p.ChangeID], (*clientDuty).metMark, markOf(e))
	}
}

// receiveConcern opens a concern. A concern known only from WSTA's recommendations is taken over
// by the provider's own record of it.
func (s *State) receiveConcern(id, clientNumber, channel, by string, at time.Time) {
	if k := s.concerns[id]; k == nil || k.referred {
		s.concerns[id] = &concernRecord{clientNumber: clientNumber, channel: channel, owner: by, receivedAt: at}
	}
}

// setOnce sets the mark a field of a record points to, unless the record is missing or the mark
// is already set: the first occurrence counts.
func setOnce[R any](r *R, field func(*R) *mark, at mark) {
	if r == nil {
		return
	}
	if f := field(r); f.IsZero() {
		*f = at
	}
}

func (d *clientDuty) metMark() *mark { return &d.met }

// applyReportEvent records DPA reports, responses, posted measures and submitted reports.
func (s *State) applyReportEvent(e events.Envelope, payload any) {
	at, by := e.OccurredAt, e.Actor.StaffID
	switch p := payload.(type) {
	case events.DPAReportReceived:
		s.dpaReports[p.ReportID] = &dpaReportRecord{kind: p.Kind, period: p.Period, distributedOn: p.DistributedOn,
			selected: p.SelectedCases, remarks: p.Remarks, owner: by, receivedAt: at}
		s.addFindings(p.Findings, events.SourceDPAReport, p.ReportID, by, at)
	case events.DPAReportResponded:
		setOnce(s.dpaReports[p.ReportID], func(r *dpaReportRecord) *mark { return &r.responded }, markOf(e))
	case events.PerformanceMeasuresPosted:
		firstTime(s.measures, p.Period, at)
	case events.ReportSubmitted:
		firstTime(s.reports, p.Kind+"-"+p.Period, markOf(e))
	}
}

func firstTime[V any](m map[string]V, key string, at V) {
	if _, ok := m[key]; !ok {
		m[key] = at
	}
}
