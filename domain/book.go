package domain

import (
	"cmp"
	"slices"
	"time"

	"github.com/wsledger/wsledger/events"
)

// Book derives a provider's obligations from its events. It is pure: the caller applies events
// and passes the instant to judge them at.
type Book struct {
	state  *State
	policy Policy
}

// NewBook returns the empty book of a provider under a policy.
func NewBook(provider string, p Policy) *Book {
	return &Book{state: NewState(provider), policy: p}
}

// Apply applies one event of the provider, in log order.
func (b *Book) Apply(e events.Envelope) error { return b.state.Evolve(e) }

// Obligations returns every obligation opened by now, sorted by due instant and then id. What
// happened after now (by occurred_at) does not count: an obligation met later is open at now.
func (b *Book) Obligations(now time.Time) []Obligation {
	list, _ := b.ObligationsUntil(now)
	return list
}

// ObligationsUntil returns Obligations(now) and the first instant after now at which the
// obligations, or the status of any of them, may differ from what they are at now: an obligation
// opens or is met, an optional window closes, an unmet one falls due, a month or quarter begins,
// or Alaska's date changes (which moves the due-soon horizon). Until then a caller may keep the
// list and its statuses. The zero instant means never: the provider is not registered.
func (b *Book) ObligationsUntil(now time.Time) ([]Obligation, time.Time) {
	list, _, until := b.ObligationsHolding(now)
	return list, until
}

// ObligationsHolding returns ObligationsUntil(now) and also the last instant at or before now at
// which the obligations or a status may have changed (the same kinds of instant, or the start
// of Alaska's day): at every instant from since up to until, Obligations and every status are
// what they are at now. A reader that took its instant a moment before another computed the
// list can then share it.
func (b *Book) ObligationsHolding(now time.Time) (list []Obligation, since, until time.Time) {
	if !b.state.Registered() {
		return nil, time.Time{}, time.Time{}
	}
	l := &obligationList{s: b.state, base: b.policy, p: b.state.policy(b.policy), now: now, since: DateOf(now).Start(), until: DateOf(now).AddDays(1).Start()}
	l.out = make([]Obligation, 0, l.capacity())
	l.monthly()
	l.quarterly()
	l.findings()
	l.concerns()
	l.clientDuties()
	l.dpaReports(l.performanceConfirmation())
	l.grievanceWindows()
	sortByDueThenID(l.out)
	return l.out, l.since, l.until
}

// sortByDueThenID sorts obligations by due instant and then id. It sorts small keys and then
// moves each obligation once, rather than swapping whole obligations and comparing their
// time.Time values as a sort of the obligations themselves would: a large provider has a
// hundred thousand of them, and the order is derived again after every event.
func sortByDueThenID(list []Obligation) {
	type key struct {
		sec  int64
		nsec int32
		at   int32 // position in list
		id   string
	}
	keys := make([]key, len(list))
	for i := range list {
		o := &list[i]
		keys[i] = key{o.Due.Unix(), int32(o.Due.Nanosecond()), int32(i), o.ID}
	}
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(cmp.Compare(a.sec, b.sec), cmp.Compare(a.nsec, b.nsec), cmp.Compare(a.id, b.id))
	})
	// Place each obligation where its key landed, following the permutation's cycles.
	for i := range keys {
		if keys[i].at < 0 {
			continue
		}
		j := i
		moved := list[i]
		for {
			from := int(keys[j].at)
			keys[j].at = -1
			if from == i {
				list[j] = moved
				break
			}
			list[j] = list[from]
			j = from
		}
	}
}

// met sets when the obligation was met and when that was recorded.
func (o *Obligation) met(m mark) { o.MetAt, o.MetRecordedAt = m.at, m.recorded }

// obligationList collects obligations as of now. p is the policy the provider's history last
// recorded (or base): its calendar counts every deadline; the business days a setting gives a
// duty are those of the policy in force when the duty opened (settingAt).
type obligationList struct {
	s       *State
	base, p Policy
	now     time.Time
	out     []Obligation
	// since is the latest instant at or before now at which out or a status in it may have
	// changed; until is the earliest instant after now at which they may change.
	since, until time.Time
}

// capacity is about how many obligations there are at now, so that the list is allocated once:
// a large provider has hundreds of thousands.
func (l *obligationList) capacity() int {
	s := l.s
	months := 0
	if reg := DateOf(s.registeredAt); !l.now.Before(s.registeredAt) {
		at := DateOf(l.now)
		months = (at.Year-reg.Year)*12 + int(at.Month) - int(reg.Month) + 1
	}
	return 4*months + len(s.findingOrder) + len(s.wsqrs) + 3*len(s.concerns) + len(s.recommendations) +
		len(s.emergencies) + len(s.changes) + len(s.dpaReports) + len(s.measures)
}

// changesAt notes an instant at which the obligations may change, if it lies after now.
func (l *obligationList) changesAt(t time.Time) {
	if t.After(l.now) && t.Before(l.until) {
		l.until = t
	}
}

// changedAt notes an instant at which the obligations may have changed, if it lies at or before
// now.
func (l *obligationList) changedAt(t time.Time) {
	if !t.After(l.now) && t.After(l.since) {
		l.since = t
	}
}

// noteInstant notes an instant at which the obligations may change or may have changed.
func (l *obligationList) noteInstant(t time.Time) {
	l.changesAt(t)
	l.changedAt(t)
}

// add keeps an obligation opened by now, hiding a MetAt after now, and drops an optional window
// that closed unused.
func (l *obligationList) add(o Obligation) {
	if o.OpenedAt.After(l.now) {
		l.changesAt(o.OpenedAt)
		return
	}
	l.changedAt(o.OpenedAt)
	if o.MetAt.After(l.now) {
		l.changesAt(o.MetAt)
		o.MetAt, o.MetRecordedAt = time.Time{}, time.Time{}
	}
	if o.MetAt.IsZero() {
		l.changesAt(o.Due) // falls due, or an optional window closes
	} else {
		l.changedAt(o.MetAt)
	}
	l.changedAt(o.Due) // fell due, or an optional window closed
	if o.Optional && o.MetAt.IsZero() && !l.now.Before(o.Due) {
		return
	}
	o.Provider = l.s.provider
	o.ID = o.Kind + ":" + o.Subject
	l.out = append(l.out, o)
}

// settingAt returns the policy in force at t, for the business days a setting gives a duty that
// opened then: a later change of settings does not move the deadline of a duty already open.
func (l *obligationList) settingAt(t time.Time) Policy { return l.s.policyAt(l.base, t) }

// Policy returns the policy the provider's history last recorded (PolicySettingsRecorded), or
// the book's own when it records none: the one statuses and late entries are judged by.
func (b *Book) Policy() Policy { return b.state.policy(b.policy) }

// withinBusinessDays is the policy calendar's "within n business days of t".
func (l *obligationList) withinBusinessDays(t time.Time, n int) time.Time {
	return l.p.Calendar.WithinBusinessDays(t, n)
}
