package projections

import (
	"cmp"
	"slices"
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
	kept        uint64 // which computation of the provider's obligations
	dueThisWeek int
}

func (m *model) attentionStamp(now time.Time) AttentionStamp {
	c := m.current(now)
	return AttentionStamp{kept: c.gen, dueThisWeek: c.dueBefore(now.Add(dueThisWeek))}
}

// attention reads only the unmet obligations, which current keeps apart from the met ones.
func (m *model) attention(now time.Time, limit int) Attention {
	c := m.current(now)
	ob := obligationsAt{now: now, list: c.list, index: c.index}
	a := Attention{Overview: m.overview(now)}
	a.DeadlinesTotal = c.dueBefore(now.Add(dueThisWeek))
	for _, i := range c.unmet[:min(a.DeadlinesTotal, limit)] {
		a.Deadlines = append(a.Deadlines, deadlineOf(c.list[i], now, c.status[i], m.policy))
	}
	calls, correcting := c.unmetCallsAndCorrections()
	a.CallbacksTotal = len(calls)
	for _, i := range calls[:min(len(calls), limit)] {
		id := c.list[i].Subject
		a.Callbacks = append(a.Callbacks, m.concernStatus(id, m.st.Concerns[id], ob))
	}
	a.FindingsTotal = correcting
	for _, f := range c.openFindings(m) {
		if len(a.Findings) == limit {
			break
		}
		i := c.index[domain.ObligationCorrection+":"+f.ID]
		d := deadlineOf(c.list[i], now, c.status[i], m.policy)
		a.Findings = append(a.Findings, FindingStatus{
			FindingID: f.ID, Source: m.text(f.Source), SourceID: f.SourceID, Category: m.text(f.Category), Owner: d.Owner,
			FoundAt: d.OpenedAt, Due: d.Due, CorrectedAt: d.MetAt, Status: d.Status, LateSeconds: d.LateSeconds, Late: d.Late,
		})
	}
	return a
}

// unmetCallsAndCorrections returns the unmet call returns by opening instant and subject, and
// the number of findings with an unmet correction, computed once for as long as c holds: a large
// provider has thousands of unmet obligations, and every overview asks.
func (c *current) unmetCallsAndCorrections() (calls []int32, correcting int) {
	c.unmetOnce.Do(func() {
		corrections := map[string]bool{}
		for _, i := range c.unmet {
			switch o := &c.list[i]; o.Kind {
			case domain.ObligationCallReturn:
				c.calls = append(c.calls, i)
			case domain.ObligationCorrection:
				corrections[o.Subject] = true
			}
		}
		slices.SortFunc(c.calls, func(i, j int32) int {
			a, b := &c.list[i], &c.list[j]
			return cmp.Or(a.OpenedAt.Compare(b.OpenedAt), cmp.Compare(a.Subject, b.Subject))
		})
		c.correcting = len(corrections)
	})
	return c.calls, c.correcting
}

// openFindings returns the negative findings whose correction is not met, in the order they were
// made, computed once for as long as c holds.
func (c *current) openFindings(m *model) []finding {
	c.findings.Do(func() {
		for _, f := range m.st.Findings {
			if i, ok := c.index[domain.ObligationCorrection+":"+f.ID]; ok && c.list[i].MetAt.IsZero() && !f.At.After(c.from) {
				c.open = append(c.open, f)
			}
		}
	})
	return c.open
}
