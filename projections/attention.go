package projections

import (
	"time"

	"github.com/wsledger/wsledger/domain"
)

// Attention is what needs doing at a provider at an instant, for its overview page: the headline
// numbers, the obligations overdue and then those due within seven days (each by due instant),
// the negative findings not yet corrected (in the order they were made) and the concerns whose
// call has not been returned (by when they were received). Each list holds at most the limit
// asked; the totals count them all.
type Attention struct {
	Overview       Overview
	Deadlines      []Deadline
	DeadlinesTotal int
	Findings       []FindingStatus
	FindingsTotal  int
	Callbacks      []ConcernStatus
	CallbacksTotal int
}

// AttentionStamp names what Attention shows at an instant, the instant aside: at two instants
// with the same stamp, Attention gives the same lists in the same order with the same statuses
// and counts; only what is computed from the instant itself differs (how late, how soon, how
// old). Any event applied to the provider, and any instant at which a status may change, gives a
// new stamp; so does an obligation coming into the week ahead.
type AttentionStamp struct {
	kept, version        uint64 // which agenda, and its version (domain.Agenda.Version)
	overdue, dueThisWeek int
}

func (m *model) attentionStamp(now time.Time) AttentionStamp {
	return atAgenda(m, now, func(a *domain.Agenda) AttentionStamp {
		return AttentionStamp{kept: m.kept.id, version: a.Version(), overdue: a.Counts().Overdue, dueThisWeek: a.DueBefore(now.Add(dueThisWeek))}
	})
}

// attention reads only the unmet obligations, which the agenda keeps apart from the met ones, and
// only as many of them as the lists show.
func (m *model) attention(now time.Time, limit int) Attention {
	return withObligations(m, now, func(ob obligationsAt) Attention {
		a := Attention{Overview: m.overviewAt(ob)}
		ag := ob.a
		a.DeadlinesTotal = ag.DueBefore(now.Add(dueThisWeek))
		if n := min(a.DeadlinesTotal, limit); n > 0 {
			ag.Walk(domain.PartUnmet, nil, func(o *domain.Obligation, s domain.Status) bool {
				a.Deadlines = append(a.Deadlines, deadlineOf(*o, now, s, m.policy))
				return len(a.Deadlines) < n
			})
		}
		a.CallbacksTotal, _ = ag.Unmet(domain.ObligationCallReturn)
		if limit > 0 {
			ag.UnmetCalls(func(o *domain.Obligation) bool {
				a.Callbacks = append(a.Callbacks, m.concernStatus(o.Subject, m.st.Concerns[o.Subject], ob))
				return len(a.Callbacks) < limit
			})
		}
		a.FindingsTotal, _ = ag.Unmet(domain.ObligationCorrection)
		if limit > 0 {
			ag.UnmetCorrections(func(o *domain.Obligation) bool {
				if i, ok := m.findingIndex(o.Subject); ok {
					f := m.st.Findings[i]
					d := deadlineOf(*o, now, ag.Status(o), m.policy)
					a.Findings = append(a.Findings, FindingStatus{
						FindingID: f.ID, Source: m.text(f.Source), SourceID: f.SourceID, Category: m.text(f.Category), Owner: d.Owner,
						FoundAt: d.OpenedAt, Due: d.Due, CorrectedAt: d.MetAt, Status: d.Status, LateSeconds: d.LateSeconds, Late: d.Late,
					})
				}
				return len(a.Findings) < limit
			})
		}
		return a
	})
}
