package domain

import (
	"cmp"
	"slices"
	"time"
)

// Agenda is a provider's obligations at one instant, the ones Book.ObligationsHolding derives,
// kept as the book applies events and as the instant moves instead of derived again: an event
// changes only the obligations of what it concerns (a concern, a finding, a month...), and
// moving the instant changes only the obligations that open, are met, fall due or close in
// between, which a schedule of the next instants (and of the last ones, for a move back) names.
// Unmet obligations are kept by due instant, those waiting for DPA and the met ones apart, each
// in an ordered set that pages walk and count without visiting the rest. An event that changes
// many obligations at once (new settings, a registration) makes the agenda derive them all
// again at its next move.
//
// The agenda reads its book's state: call Applied with each event's payload right after the book
// applies it. It is not safe for concurrent use.
type Agenda struct {
	book  *Book
	built bool
	at    time.Time
	// horizon is the due-soon horizon at at: an unmet obligation due after at and not after it
	// is due soon (Obligation.Status).
	horizon time.Time
	p       Policy

	units map[unitKey]*agendaUnit
	// monthsHeld says whether month units exist; they exist for the months from registration
	// through lastMonth, the month of at.
	monthsHeld bool
	lastMonth  Month
	byID       map[string]*agendaEntry
	// The obligations by where they stand at at, each by due instant and then id.
	unmet, waiting, metOnTime, metLate *orderedSet[*agendaEntry]
	unmetByKind                        map[string]*orderedSet[*agendaEntry]
	// The unmet call returns by opening instant and subject, and the unmet corrections in the
	// order their findings were made (findingOrder), for the overview's lists.
	calls, corrections *orderedSet[*agendaEntry]
	findingOrder       map[string]int
	kinds, owners      map[string]int // obligations by kind and by owner
	received           int            // concerns received by at

	future, past schedule
	version      uint64
	pass         uint64 // numbers the moves, so that a move derives each unit once
	scratch      obligationList
}

// agendaEntry is one obligation the agenda holds.
type agendaEntry struct{ Obligation }

// agendaUnit is what the agenda keeps of one unit: its obligations at the agenda's instant, and
// the instants between which they hold (since is zero when nothing before the instant is
// known to change them; until is farFuture when nothing after it will).
type agendaUnit struct {
	key          unitKey
	entries      []*agendaEntry
	since, until time.Time
	received     bool
	gen          uint32 // counts derivations, to tell the schedule's stale entries
	pass         uint64
}

// NewAgenda returns the agenda of a book. It derives the obligations at its first move.
func NewAgenda(b *Book) *Agenda { return &Agenda{book: b} }

// Applied updates the agenda after its book applied an event whose decoded payload is payload.
func (a *Agenda) Applied(payload any) {
	if !a.built {
		return
	}
	keys, every := a.touched(payload)
	if every {
		a.built = false // derived again at the next move
		return
	}
	a.version++
	a.pass++
	for _, k := range keys {
		a.refresh(k)
	}
}

// MoveTo moves the agenda to the instant now, in either direction: afterwards it holds
// Book.ObligationsHolding(now)'s obligations.
func (a *Agenda) MoveTo(now time.Time) {
	if !a.built {
		a.build(now)
		return
	}
	if now.Equal(a.at) {
		return
	}
	a.pass++
	var due []*agendaUnit
	take := func(u *agendaUnit) {
		if u.pass != a.pass {
			u.pass = a.pass
			due = append(due, u)
		}
	}
	if now.After(a.at) {
		a.future.popUntil(now, take)
	} else {
		a.past.popUntil(now, take)
	}
	newDay := DateOf(now) != DateOf(a.at)
	if newDay {
		a.horizon = a.p.Calendar.WithinBusinessDays(now, a.p.DueSoonBusinessDays)
	}
	a.at = now
	if newDay || len(due) > 0 {
		a.version++ // a status may change with the day's horizon, or at a unit's instant
	}
	a.monthsTo(now)
	for _, u := range due {
		if a.units[u.key] == u {
			a.refresh(u.key)
		}
	}
	a.compact()
}

// build derives every unit at now.
func (a *Agenda) build(now time.Time) {
	by := func(a, b *agendaEntry) int { return byDue(&a.Obligation, &b.Obligation) }
	*a = Agenda{
		book: a.book, built: true, at: now, p: a.book.Policy(), version: a.version + 1,
		units: map[unitKey]*agendaUnit{}, byID: map[string]*agendaEntry{},
		unmet: newOrderedSet(by), waiting: newOrderedSet(by), metOnTime: newOrderedSet(by), metLate: newOrderedSet(by),
		unmetByKind: map[string]*orderedSet[*agendaEntry]{},
		calls: newOrderedSet(func(a, b *agendaEntry) int {
			return cmp.Or(a.OpenedAt.Compare(b.OpenedAt), cmp.Compare(a.Subject, b.Subject), cmp.Compare(a.ID, b.ID))
		}),
		findingOrder: map[string]int{}, kinds: map[string]int{}, owners: map[string]int{},
		future: schedule{later: false}, past: schedule{later: true},
	}
	a.corrections = newOrderedSet(func(x, y *agendaEntry) int {
		return cmp.Or(cmp.Compare(a.findingOrder[x.Subject], a.findingOrder[y.Subject]), cmp.Compare(x.ID, y.ID))
	})
	a.horizon = a.p.Calendar.WithinBusinessDays(now, a.p.DueSoonBusinessDays)
	if !a.book.state.Registered() {
		return
	}
	a.monthsTo(now)
	a.eachUnit(a.refresh)
}

// monthsTo keeps month units for the months from registration through now's month.
func (a *Agenda) monthsTo(now time.Time) {
	s := a.book.state
	if !s.Registered() {
		return
	}
	first, target := DateOf(s.registeredAt).MonthOf(), DateOf(now).MonthOf()
	for a.monthsHeld && target.First().Before(a.lastMonth.First()) {
		a.drop(unitKey{unitMonth, a.lastMonth.String()})
		if a.lastMonth == first {
			a.monthsHeld = false
			break
		}
		a.lastMonth = a.lastMonth.Prev()
	}
	next := first
	if a.monthsHeld {
		next = a.lastMonth.Next()
	}
	for ; !target.First().Before(next.First()); next = next.Next() {
		a.lastMonth, a.monthsHeld = next, true
		a.refresh(unitKey{unitMonth, next.String()})
	}
}

// noteFinding numbers a finding in the order findings are made, the first time it is seen.
func (a *Agenda) noteFinding(id string) {
	if _, ok := a.findingOrder[id]; !ok {
		a.findingOrder[id] = len(a.findingOrder)
	}
}

// refresh derives one unit again at the agenda's instant and puts its obligations in place.
func (a *Agenda) refresh(k unitKey) {
	l := &a.scratch
	*l = obligationList{s: a.book.state, base: a.book.policy, p: a.p, now: a.at, out: l.out[:0], until: farFuture}
	found, received := l.unit(k)
	if !found {
		a.drop(k)
		return
	}
	u := a.units[k]
	if u == nil {
		u = &agendaUnit{key: k}
		a.units[k] = u
	}
	if !sameObligations(u.entries, l.out) {
		for _, e := range u.entries {
			a.unindex(e)
		}
		u.entries = make([]*agendaEntry, len(l.out))
		for i, o := range l.out {
			u.entries[i] = &agendaEntry{o}
			a.index(u.entries[i])
		}
	}
	if received != u.received {
		u.received = received
		if received {
			a.received++
		} else {
			a.received--
		}
	}
	u.since, u.until = l.since, l.until
	u.gen++
	if len(u.entries) == 0 && !received && u.since.IsZero() && u.until == farFuture {
		delete(a.units, k) // nothing to keep: a finding that was not negative
		return
	}
	if u.until != farFuture {
		a.future.push(u.until, u)
	}
	if !u.since.IsZero() {
		a.past.push(u.since, u)
	}
}

// drop removes a unit and its obligations.
func (a *Agenda) drop(k unitKey) {
	u := a.units[k]
	if u == nil {
		return
	}
	for _, e := range u.entries {
		a.unindex(e)
	}
	if u.received {
		a.received--
	}
	delete(a.units, k)
}

func sameObligations(kept []*agendaEntry, derived []Obligation) bool {
	return slices.EqualFunc(kept, derived, func(e *agendaEntry, o Obligation) bool { return e.Obligation.equal(&o) })
}

// equal reports whether two obligations are the same in every field.
func (o *Obligation) equal(p *Obligation) bool {
	return o.ID == p.ID && o.Kind == p.Kind && o.Provider == p.Provider && o.Subject == p.Subject && o.Owner == p.Owner &&
		o.Source == p.Source && o.OpenedAt.Equal(p.OpenedAt) && o.Due.Equal(p.Due) && o.MetAt.Equal(p.MetAt) &&
		o.MetRecordedAt.Equal(p.MetRecordedAt) && o.Required == p.Required && o.Done == p.Done && o.Optional == p.Optional &&
		o.Note == p.Note && o.WaitingFor == p.WaitingFor && o.Warning == p.Warning && slices.Equal(o.Remarks, p.Remarks)
}

// index and unindex put an obligation in, and take it out of, the sets it belongs to.
func (a *Agenda) index(e *agendaEntry) {
	a.byID[e.ID] = e
	a.kinds[e.Kind]++
	a.owners[e.Owner]++
	for _, s := range a.setsOf(e, true) {
		s.insert(e)
	}
}

func (a *Agenda) unindex(e *agendaEntry) {
	delete(a.byID, e.ID)
	if a.kinds[e.Kind]--; a.kinds[e.Kind] == 0 {
		delete(a.kinds, e.Kind)
	}
	if a.owners[e.Owner]--; a.owners[e.Owner] == 0 {
		delete(a.owners, e.Owner)
	}
	for _, s := range a.setsOf(e, false) {
		s.remove(e)
	}
}

// setsOf returns the sets an obligation belongs to, making its kind's set of unmet ones when
// create is set.
func (a *Agenda) setsOf(e *agendaEntry, create bool) []*orderedSet[*agendaEntry] {
	switch {
	case !e.MetAt.IsZero() && e.MetAt.Before(e.Due):
		return []*orderedSet[*agendaEntry]{a.metOnTime}
	case !e.MetAt.IsZero():
		return []*orderedSet[*agendaEntry]{a.metLate}
	case e.WaitingFor != "":
		return []*orderedSet[*agendaEntry]{a.waiting}
	}
	kind := a.unmetByKind[e.Kind]
	if kind == nil && create {
		kind = newOrderedSet(a.unmet.cmp)
		a.unmetByKind[e.Kind] = kind
	}
	sets := []*orderedSet[*agendaEntry]{a.unmet, kind}
	switch e.Kind {
	case ObligationCallReturn:
		sets = append(sets, a.calls)
	case ObligationCorrection:
		sets = append(sets, a.corrections)
	}
	return sets
}

// compact drops the schedule's stale entries once they outnumber the units.
func (a *Agenda) compact() {
	if a.future.len()+a.past.len() < 4*len(a.units)+1024 {
		return
	}
	a.future.items, a.past.items = a.future.items[:0], a.past.items[:0]
	for _, u := range a.units {
		if u.until != farFuture {
			a.future.items = append(a.future.items, scheduled{u.until.UnixNano(), u, u.gen})
		}
		if !u.since.IsZero() {
			a.past.items = append(a.past.items, scheduled{u.since.UnixNano(), u, u.gen})
		}
	}
	a.future.heapify()
	a.past.heapify()
}

// byDue orders obligations by due instant and then id.
func byDue(a, b *Obligation) int {
	return cmp.Or(a.Due.Compare(b.Due), cmp.Compare(a.ID, b.ID))
}
