package domain

import (
	"maps"
	"slices"
	"time"
)

// At returns the instant the agenda is at.
func (a *Agenda) At() time.Time { return a.at }

// Version changes whenever the obligations may have changed: an event applied, a move of the
// instant past one at which a unit's obligations change (one falls due, opens, is met...) or past
// midnight in Alaska (the due-soon horizon). Between two instants of one version, the statuses
// are the same when the number overdue is.
func (a *Agenda) Version() uint64 { return a.version }

// Holding returns the instants between which the obligations and every status are what they are
// at the agenda's instant (see Book.ObligationsHolding): since is at or after the one the book
// reports, until at or before it.
func (a *Agenda) Holding() (since, until time.Time) {
	day := DateOf(a.at)
	since, until = day.Start(), day.AddDays(1).Start()
	live := func(u *agendaUnit) bool { return a.units[u.key] == u }
	if t, ok := a.past.top(live); ok && t.After(since) {
		since = t
	}
	if t, ok := a.future.top(live); ok && t.Before(until) {
		until = t
	}
	return since, until
}

// AgendaCounts counts the obligations at the agenda's instant by status.
type AgendaCounts struct {
	Open, DueSoon, Overdue, MetOnTime, MetLate, WaitingForDPA int
}

// Add counts one obligation of status s.
func (c *AgendaCounts) Add(s Status) {
	switch s {
	case StatusOpen:
		c.Open++
	case StatusDueSoon:
		c.DueSoon++
	case StatusOverdue:
		c.Overdue++
	case StatusMetOnTime:
		c.MetOnTime++
	case StatusMetLate:
		c.MetLate++
	case StatusWaitingForDPA:
		c.WaitingForDPA++
	}
}

// Counts counts the obligations by status.
func (a *Agenda) Counts() AgendaCounts {
	overdue := a.unmet.countBefore(a.dueBy(a.at))
	soon := max(a.unmet.countBefore(a.dueBy(a.horizon))-overdue, 0)
	return AgendaCounts{
		Overdue: overdue, DueSoon: soon, Open: a.unmet.Len() - overdue - soon,
		MetOnTime: a.metOnTime.Len(), MetLate: a.metLate.Len(), WaitingForDPA: a.waiting.Len(),
	}
}

// dueBy holds for the obligations due at or before t.
func (a *Agenda) dueBy(t time.Time) func(*agendaEntry) bool {
	return func(e *agendaEntry) bool { return !e.Due.After(t) }
}

// Status returns an obligation's status at the agenda's instant (Obligation.Status).
func (a *Agenda) Status(o *Obligation) Status {
	switch {
	case !o.MetAt.IsZero() && o.MetAt.Before(o.Due):
		return StatusMetOnTime
	case !o.MetAt.IsZero():
		return StatusMetLate
	case o.WaitingFor != "":
		return StatusWaitingForDPA
	case !a.at.Before(o.Due):
		return StatusOverdue
	case !o.Due.After(a.horizon):
		return StatusDueSoon
	}
	return StatusOpen
}

// Get returns the obligation of an id, if there is one. It must not be changed.
func (a *Agenda) Get(id string) (*Obligation, bool) {
	if e := a.byID[id]; e != nil {
		return &e.Obligation, true
	}
	return nil, false
}

// AgendaPart names a part of the obligations, each kept by due instant and then id.
type AgendaPart uint8

// Parts of the obligations.
const (
	PartUnmet     AgendaPart = iota // overdue, due soon and open
	PartWaiting                     // waiting for DPA
	PartMet                         // met on time or late
	PartOverdue                     // the overdue ones of PartUnmet
	PartDueSoon                     // the due soon ones
	PartOpen                        // the open ones
	PartMetOnTime                   // the met on time ones of PartMet
	PartMetLate                     // the met late ones
	PartAll                         // every obligation
)

// PartOf returns the part of one status.
func PartOf(s Status) AgendaPart {
	return map[Status]AgendaPart{
		StatusOverdue: PartOverdue, StatusDueSoon: PartDueSoon, StatusOpen: PartOpen, StatusWaitingForDPA: PartWaiting,
		StatusMetOnTime: PartMetOnTime, StatusMetLate: PartMetLate,
	}[s]
}

// Holds reports whether an obligation of status s belongs to the part.
func (p AgendaPart) Holds(s Status) bool {
	switch p {
	case PartUnmet:
		return s == StatusOverdue || s == StatusDueSoon || s == StatusOpen
	case PartMet:
		return s == StatusMetOnTime || s == StatusMetLate
	case PartAll:
		return true
	}
	return p == PartOf(s)
}

// Len returns the number of obligations in a part.
func (a *Agenda) Len(p AgendaPart) int {
	c := a.Counts()
	return map[AgendaPart]int{
		PartUnmet: a.unmet.Len(), PartWaiting: c.WaitingForDPA, PartMet: c.MetOnTime + c.MetLate,
		PartOverdue: c.Overdue, PartDueSoon: c.DueSoon, PartOpen: c.Open, PartMetOnTime: c.MetOnTime, PartMetLate: c.MetLate,
		PartAll: len(a.byID),
	}[p]
}

// Walk calls visit with each obligation of a part that comes after the obligation after (by due
// instant and then id; nil for the part's first), in order, with its status, until visit returns
// false. The obligations must not be changed.
func (a *Agenda) Walk(p AgendaPart, after *Obligation, visit func(*Obligation, Status) bool) {
	skip := func(e *agendaEntry) bool { return after != nil && byDue(&e.Obligation, after) <= 0 }
	from := func(set *orderedSet[*agendaEntry], before func(*agendaEntry) bool, stop func(*agendaEntry) bool) {
		c := set.seek(func(e *agendaEntry) bool { return skip(e) || before != nil && before(e) })
		for e, ok := c.next(); ok && (stop == nil || !stop(e)); e, ok = c.next() {
			if !visit(&e.Obligation, a.Status(&e.Obligation)) {
				return
			}
		}
	}
	overdue, soon := a.dueBy(a.at), a.dueBy(a.horizon)
	notOverdue := func(e *agendaEntry) bool { return !overdue(e) }
	notSoon := func(e *agendaEntry) bool { return !soon(e) }
	switch p {
	case PartUnmet:
		from(a.unmet, nil, nil)
	case PartOverdue:
		from(a.unmet, nil, notOverdue)
	case PartDueSoon:
		from(a.unmet, overdue, notSoon)
	case PartOpen:
		from(a.unmet, soon, nil)
	case PartWaiting:
		from(a.waiting, nil, nil)
	case PartMetOnTime:
		from(a.metOnTime, nil, nil)
	case PartMetLate:
		from(a.metLate, nil, nil)
	case PartMet, PartAll:
		sets := []*orderedSet[*agendaEntry]{a.metOnTime, a.metLate}
		if p == PartAll {
			sets = append(sets, a.unmet, a.waiting)
		}
		a.merge(sets, skip, func(e *agendaEntry) bool { return visit(&e.Obligation, a.Status(&e.Obligation)) })
	}
}

// merge walks several sets kept by due instant and then id as one, from the first entry skip
// does not hold for, until visit returns false.
func (a *Agenda) merge(sets []*orderedSet[*agendaEntry], skip func(*agendaEntry) bool, visit func(*agendaEntry) bool) {
	type head struct {
		c *setCursor[*agendaEntry]
		e *agendaEntry
	}
	var heads []head
	for _, s := range sets {
		c := s.seek(skip)
		if e, ok := c.next(); ok {
			heads = append(heads, head{c, e})
		}
	}
	for len(heads) > 0 {
		k := 0
		for i := 1; i < len(heads); i++ {
			if byDue(&heads[i].e.Obligation, &heads[k].e.Obligation) < 0 {
				k = i
			}
		}
		if !visit(heads[k].e) {
			return
		}
		if e, ok := heads[k].c.next(); ok {
			heads[k].e = e
		} else {
			heads = slices.Delete(heads, k, k+1)
		}
	}
}

// List returns every obligation, by due instant and then id: Book.Obligations at the agenda's
// instant.
func (a *Agenda) List() []Obligation {
	out := make([]Obligation, 0, len(a.byID))
	a.merge([]*orderedSet[*agendaEntry]{a.unmet, a.waiting, a.metOnTime, a.metLate}, nil, func(e *agendaEntry) bool {
		out = append(out, e.Obligation)
		return true
	})
	return out
}

// Total returns the number of obligations.
func (a *Agenda) Total() int { return len(a.byID) }

// DueBefore counts the unmet obligations (those waiting for DPA aside) due before t.
func (a *Agenda) DueBefore(t time.Time) int {
	return a.unmet.countBefore(func(e *agendaEntry) bool { return e.Due.Before(t) })
}

// Unmet counts the unmet obligations of a kind (those waiting for DPA aside), and how many of
// them are overdue.
func (a *Agenda) Unmet(kind string) (n, overdue int) {
	s := a.unmetByKind[kind]
	if s == nil {
		return 0, 0
	}
	return s.Len(), s.countBefore(a.dueBy(a.at))
}

// OfKind counts the obligations of a kind, whatever their status.
func (a *Agenda) OfKind(kind string) int { return a.kinds[kind] }

// KindsAndOwners returns the kinds of the obligations and their owners, each sorted; the owner
// of management's obligations is the empty string.
func (a *Agenda) KindsAndOwners() (kinds, owners []string) {
	return slices.Sorted(maps.Keys(a.kinds)), slices.Sorted(maps.Keys(a.owners))
}

// UnmetCalls calls visit with each unmet call return by opening instant and subject, until
// visit returns false.
func (a *Agenda) UnmetCalls(visit func(*Obligation) bool) {
	a.calls.ascend(nil, func(e *agendaEntry) bool { return visit(&e.Obligation) })
}

// UnmetCorrections calls visit with each unmet correction in the order its finding was made,
// until visit returns false.
func (a *Agenda) UnmetCorrections(visit func(*Obligation) bool) {
	a.corrections.ascend(nil, func(e *agendaEntry) bool { return visit(&e.Obligation) })
}

// ConcernsReceived counts the concerns received by the agenda's instant.
func (a *Agenda) ConcernsReceived() int { return a.received }
