package projections

import (
	"slices"
	"time"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
)

// record keeps what the views need of one decoded event. Events are accepted facts: a reference
// to something unknown is kept as far as it can be, never refused.
func (m *model) record(e events.Envelope, payload any) {
	s, at := &m.st, e.OccurredAt
	switch p := payload.(type) {
	case events.ProviderRegistered:
		s.Name, s.Region = p.Name, p.Region
		if s.RegisteredAt.IsZero() {
			s.RegisteredAt = at
		}
	case events.StaffRosterSubmitted:
		roles := make(map[string]string, len(p.Staff))
		for _, st := range p.Staff {
			roles[st.StaffID] = st.Role
		}
		s.Rosters[p.Month] = roles
	case events.FileReviewSampleDrawn:
		s.Samples[p.Month] = sample{Seed: p.Seed, CaseIDs: slices.Clone(p.CaseIDs), At: at}
	case events.FileReviewRecorded:
		m.recordReview(p, e)
	case events.WSQRFindingsReceived:
		m.recordWSQR(p, at)
	case events.WSQRResponseSubmitted:
		if w := m.wsqr(p.WSQRID); w != nil && w.RespondedAt.IsZero() {
			w.RespondedAt = at
		}
	case events.PerformanceConfirmationConfirmed:
		s.Confirmation = append(s.Confirmation, confirmationStep{At: at, Source: stepWSTA, WSQRID: p.WSQRID, State: p.State, Computed: m.confirmationRequired()})
	case events.DPAReportReceived:
		m.addFindings(p.Findings, events.SourceDPAReport, p.ReportID, at)
	case events.PerformanceMeasuresPosted:
		s.Measures[p.Period] = slices.Clone(p.Measures)
	default:
		m.recordConcern(payload, e.Actor.StaffID, at)
	}
}

func (m *model) recordReview(p events.FileReviewRecorded, e events.Envelope) {
	r := review{
		ID: p.ReviewID, Month: m.addText(p.Month), CaseID: p.CaseID, CaseManager: m.addText(p.CaseManagerID),
		CaseManagerRole: m.addText(m.st.Rosters[p.Month][p.CaseManagerID]), Reviewer: m.addText(p.ReviewerID), ReviewerRole: m.addText(p.ReviewerRole),
		At: instantOf(e.OccurredAt), RecordedAt: instantOf(e.RecordedAt), Findings: int32(len(p.Findings)),
	}
	for _, f := range p.Findings {
		if f.Negative {
			r.Negative++
		}
	}
	m.st.Reviews = append(m.st.Reviews, r)
	m.addFindings(p.Findings, events.SourceFileReview, p.ReviewID, e.OccurredAt)
}

// recordWSQR keeps a WSQR's accuracy and recomputes the performance-confirmation status of every
// WSQR with domain.ConfirmationRequired, in the order of the periods they review, beside the
// status the event recorded.
func (m *model) recordWSQR(p events.WSQRFindingsReceived, at time.Time) {
	w := wsqr{
		ID: p.WSQRID, Period: p.Period, At: at, Correct: p.WorkVerification.Correct, Reviewed: p.WorkVerification.Reviewed,
		Recorded: p.ConfirmationRequired, ResponseDue: p.ResponseDue,
	}
	if acc, err := domain.Accuracy(w.Correct, w.Reviewed); err == nil {
		w.Accuracy = acc.Text('f')
	}
	for _, f := range p.Findings {
		if f.Negative {
			w.Negative++
		}
	}
	m.st.WSQRs = append(m.st.WSQRs, w)
	m.foldConfirmation()
	m.st.Confirmation = append(m.st.Confirmation, confirmationStep{At: at, Source: stepWSQR, WSQRID: w.ID, Computed: m.confirmationRequired()})
	m.addFindings(p.Findings, events.SourceWSQR, p.WSQRID, at)
}

// wsqrsByPeriod returns the positions of the WSQRs in the order of the periods they review, those
// of periods that end together in log order.
func (m *model) wsqrsByPeriod() []int {
	order := make([]int, len(m.st.WSQRs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return domain.ComparePeriods(m.st.WSQRs[a].Period, m.st.WSQRs[b].Period) })
	return order
}

// foldConfirmation sets every WSQR's computed status before and after it, in period order.
func (m *model) foldConfirmation() {
	required := false
	for _, i := range m.wsqrsByPeriod() {
		w := &m.st.WSQRs[i]
		acc, _ := domain.Accuracy(w.Correct, w.Reviewed)
		w.Before = required
		required = domain.ConfirmationRequired(required, acc)
		w.Required = required
	}
}

// confirmationRequired is the computed performance-confirmation status after the WSQR of the
// latest period.
func (m *model) confirmationRequired() bool {
	if order := m.wsqrsByPeriod(); len(order) > 0 {
		return m.st.WSQRs[order[len(order)-1]].Required
	}
	return false
}

func (m *model) wsqr(id string) *wsqr {
	for i := range m.st.WSQRs {
		if m.st.WSQRs[i].ID == id {
			return &m.st.WSQRs[i]
		}
	}
	return nil
}

func (m *model) addFindings(fs []events.Finding, source, sourceID string, at time.Time) {
	for _, f := range fs {
		m.st.Findings = append(m.st.Findings, finding{
			ID: f.FindingID, Source: m.addText(source), SourceID: sourceID, Category: m.addText(f.Category), Negative: f.Negative, At: instantOf(at),
		})
	}
}

// recordConcern keeps what the book does not of client concerns and WSTA's recommendations.
func (m *model) recordConcern(payload any, by string, at time.Time) {
	s := &m.st
	switch p := payload.(type) {
	case events.ClientCallReceived:
		m.receiveConcern(p.ConcernID, events.ChannelPhone, by, at)
	case events.ConcernReceived:
		m.receiveConcern(p.ConcernID, p.Channel, by, at)
	case events.ConcernResolved:
		if c, ok := s.Concerns[p.ConcernID]; ok && !c.Resolved {
			c.Resolved, c.CLNODate, c.Level, c.Notice = true, m.addText(p.CLNODate), m.addText(p.Level), m.addText(p.Notice)
			s.Concerns[p.ConcernID] = c
		}
	case events.WSTANoticeDelivered:
		if c, ok := s.Concerns[p.ConcernID]; ok && c.AcceptedAt.IsZero() {
			c.MessageID, c.AcceptedAt = p.MessageID, instantOf(at)
			s.Concerns[p.ConcernID] = c
		}
	case events.ConcernForwardedToWSTA:
		if c, ok := s.Concerns[p.ConcernID]; ok && c.ForwardedAt.IsZero() {
			c.ForwardedAt = instantOf(at)
			s.Concerns[p.ConcernID] = c
		}
	case events.WSTARecommendationReceived:
		s.Recommendations[p.RecommendationID] = recommendation{ConcernID: p.ConcernID, Items: len(p.Recommendations)}
		if _, known := s.Concerns[p.ConcernID]; !known {
			// The client went to WSTA (E.4): its recommendations make the concern the provider's.
			s.Concerns[p.ConcernID] = concern{Channel: m.addText(events.ChannelWSTAReferral), Owner: m.addText(by), ReceivedAt: instantOf(at), Referred: true}
		}
	}
}

// receiveConcern opens a concern, or takes over one known only from WSTA's recommendations.
func (m *model) receiveConcern(id, channel, by string, at time.Time) {
	if c, known := m.st.Concerns[id]; !known || c.Referred {
		m.st.Concerns[id] = concern{Channel: m.addText(channel), Owner: m.addText(by), ReceivedAt: instantOf(at)}
	}
}
