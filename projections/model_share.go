package projections

import "github.com/wsledger/wsledger/events"

// share replaces the short texts of an event that recur from event to event (staff ids, roles,
// months, case ids, categories, dates) with the model's one copy of each, before the book and the
// records keep them: decoding gives every event its own copies, and the model keeps something of
// nearly every event for good.
func (m *model) share(e *events.Envelope, payload any) any {
	e.Actor.StaffID, e.Actor.Role = m.intern(e.Actor.StaffID), m.intern(e.Actor.Role)
	switch p := payload.(type) {
	case events.StaffRosterSubmitted:
		p.Month = m.intern(p.Month)
		for i := range p.Staff {
			s := &p.Staff[i]
			s.StaffID, s.Role, s.SupervisorID = m.intern(s.StaffID), m.intern(s.Role), m.intern(s.SupervisorID)
		}
		return p
	case events.CaseloadReported:
		p.Month = m.intern(p.Month)
		for i := range p.Cases {
			c := &p.Cases[i]
			c.CaseID, c.FamilyType, c.CaseManagerID = m.intern(c.CaseID), m.intern(c.FamilyType), m.intern(c.CaseManagerID)
		}
		return p
	case events.FileReviewRecorded:
		p.Month, p.CaseID = m.intern(p.Month), m.intern(p.CaseID)
		p.CaseManagerID, p.ReviewerID, p.ReviewerRole = m.intern(p.CaseManagerID), m.intern(p.ReviewerID), m.intern(p.ReviewerRole)
		m.shareFindings(p.Findings)
		return p
	case events.WSQRFindingsReceived:
		m.shareFindings(p.Findings)
		return p
	case events.DPAReportReceived:
		m.shareFindings(p.Findings)
		return p
	case events.ConcernResolved:
		p.CLNODate, p.Level = m.intern(p.CLNODate), m.intern(p.Level)
		return p
	}
	return payload
}

func (m *model) shareFindings(fs []events.Finding) {
	for i := range fs {
		fs[i].Category = m.intern(fs[i].Category)
	}
}

// shareRecords shares the recurring texts of records restored from a saved state, as share does
// for events.
func (m *model) shareRecords() {
	for i := range m.st.Reviews {
		m.st.Reviews[i].CaseID = m.intern(m.st.Reviews[i].CaseID)
	}
}

// intern returns the model's copy of a text.
func (m *model) intern(s string) string {
	if c, ok := m.shared[s]; ok {
		return c
	}
	m.shared[s] = s
	return s
}
