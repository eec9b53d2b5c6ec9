package projections

import (
	"cmp"
	"time"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
)

// Filters of DeadlineQuery.Status beside the statuses themselves.
const (
	DeadlinesAll   = "all"   // every obligation: the unmet ones first (those waiting for DPA last), then the met ones
	DeadlinesUnmet = "unmet" // overdue, due soon, open and waiting for DPA
	DeadlinesMet   = "met"   // met on time or late
)

// Page sizes of DeadlineQuery.Limit.
const (
	DefaultDeadlineLimit = 100
	MaxDeadlineLimit     = 1000
)

// ManagementOwner is the DeadlineQuery.Owner of the obligations that are management's as a whole
// (no one member of staff owns them).
const ManagementOwner = "-"

// DeadlineQuery selects one page of a provider's deadlines. Within a page and from page to page
// obligations come by due instant and then id; with DeadlinesAll the unmet ones come first.
type DeadlineQuery struct {
	Status string // a domain.Status, DeadlinesUnmet, DeadlinesMet or DeadlinesAll (the default)
	Kind   string // one kind of obligation; empty for every kind
	Owner  string // one member of staff, or ManagementOwner; empty for anyone
	// LateEntries keeps only the met obligations whose meeting was a late entry (recorded at or
	// after the end of the business day after it happened; domain.Policy.EntryLag).
	LateEntries bool
	// After is the id of the last obligation of the previous page (Deadlines.Next); empty for
	// the first page.
	After string
	Limit int // at most MaxDeadlineLimit; 0 for DefaultDeadlineLimit
}

// Check refuses a query that names no filter or page size wsledger knows, naming the field.
func (q DeadlineQuery) Check() error {
	if _, ok := statusFilters[q.Status]; !ok && q.Status != "" {
		return events.Errorf(events.Invalid, "status", "status must be one of open, due_soon, overdue, waiting_for_dpa, met_on_time, met_late, unmet, met or all.")
	}
	if q.Limit < 0 || q.Limit > MaxDeadlineLimit {
		return events.Errorf(events.Invalid, "limit", "limit must be a whole number from 1 to %d.", MaxDeadlineLimit)
	}
	return nil
}

// statusFilters names the parts of the obligations a Status filter selects, in order.
var statusFilters = map[string][]domain.AgendaPart{
	DeadlinesAll:                       {domain.PartUnmet, domain.PartWaiting, domain.PartMet},
	DeadlinesUnmet:                     {domain.PartUnmet, domain.PartWaiting},
	DeadlinesMet:                       {domain.PartMet},
	string(domain.StatusOpen):          {domain.PartOpen},
	string(domain.StatusDueSoon):       {domain.PartDueSoon},
	string(domain.StatusOverdue):       {domain.PartOverdue},
	string(domain.StatusMetOnTime):     {domain.PartMetOnTime},
	string(domain.StatusMetLate):       {domain.PartMetLate},
	string(domain.StatusWaitingForDPA): {domain.PartWaiting},
}

// deadlinePage returns one page of the provider's deadlines at now; Counts are of every
// obligation, Matched of those the query's filters select.
func (m *model) deadlinePage(now time.Time, q DeadlineQuery) (Deadlines, error) {
	type paged struct {
		d   Deadlines
		err error
	}
	r := atAgenda(m, now, func(a *domain.Agenda) paged {
		p, err := m.pageOf(a, q)
		if err != nil {
			return paged{err: err}
		}
		d := Deadlines{Provider: m.st.Provider, At: now.UTC(), Counts: p.counts(), Matched: p.matched(), Items: make([]Deadline, 0, min(p.limit, a.Total()))}
		d.Next = p.walk(func(o *domain.Obligation, s domain.Status) error {
			d.Items = append(d.Items, deadlineOf(*o, now, s, m.policy))
			return nil
		})
		return paged{d: d}
	})
	return r.d, r.err
}

// appendDeadlinePage appends the JSON of deadlinePage(now, q), as Deadlines.AppendJSON writes it,
// without making the page's items: the deadline view's reads.
func (m *model) appendDeadlinePage(b []byte, now time.Time, q DeadlineQuery) ([]byte, error) {
	type appended struct {
		b   []byte
		err error
	}
	r := atAgenda(m, now, func(a *domain.Agenda) appended {
		p, err := m.pageOf(a, q)
		if err != nil {
			return appended{err: err}
		}
		d := Deadlines{Provider: m.st.Provider, At: now.UTC(), Counts: p.counts(), Matched: p.matched()}
		if b, err = d.appendHead(b); err != nil {
			return appended{err: err}
		}
		b = append(b, '[')
		first := true
		d.Next = p.walk(func(o *domain.Obligation, s domain.Status) error {
			if !first {
				b = append(b, ',')
			}
			first = false
			it := deadlineOf(*o, now, s, m.policy)
			b, err = it.appendJSON(b)
			return err
		})
		if err != nil {
			return appended{err: err}
		}
		b = append(b, ']')
		return appended{b: d.appendTail(b)}
	})
	return r.b, r.err
}

// page is one page of a provider's obligations as a query selects it.
type page struct {
	a         *domain.Agenda
	q         DeadlineQuery
	limit     int
	parts     []domain.AgendaPart // the statuses selected, in order
	part      int                 // where the page starts: a part, and the obligation it follows there (nil: its first)
	after     *domain.Obligation
	matchesFn func(o *domain.Obligation) bool
}

func (m *model) pageOf(a *domain.Agenda, q DeadlineQuery) (page, error) {
	if err := q.Check(); err != nil {
		return page{}, err
	}
	p := page{a: a, q: q, limit: cmp.Or(q.Limit, DefaultDeadlineLimit), parts: statusFilters[cmp.Or(q.Status, DeadlinesAll)]}
	if q.After != "" {
		last, ok := a.Get(q.After)
		if !ok {
			return page{}, events.Errorf(events.Invalid, "after", "after must be the id of one of the provider's obligations: the next of the page before.")
		}
		p.after, p.part = last, p.resume(last)
	}
	p.matchesFn = func(o *domain.Obligation) bool {
		return (q.Kind == "" || o.Kind == q.Kind) && (q.Owner == "" || o.Owner == q.Owner || q.Owner == ManagementOwner && o.Owner == "") &&
			(!q.LateEntries || enteredLate(o, m.policy))
	}
	return p, nil
}

// resume returns the part a page that follows the obligation last starts in: the part that
// holds it or, when none does (its status changed), the met when it is met, else the first.
// Within the part the page starts after last's place by due instant and id.
func (p page) resume(last *domain.Obligation) int {
	s := p.a.Status(last)
	for k, part := range p.parts {
		if part.Holds(s) {
			return k
		}
	}
	if !last.MetAt.IsZero() {
		return len(p.parts) - 1
	}
	return 0
}

// counts counts every obligation by status.
func (p page) counts() StatusCounts {
	return StatusCounts(p.a.Counts())
}

// matched counts the obligations the filters select, on every page.
func (p page) matched() (n int) {
	for _, part := range p.parts {
		if p.q.Kind == "" && p.q.Owner == "" && !p.q.LateEntries {
			n += p.a.Len(part)
			continue
		}
		p.a.Walk(part, nil, func(o *domain.Obligation, _ domain.Status) bool {
			if p.matchesFn(o) {
				n++
			}
			return true
		})
	}
	return n
}

// walk calls visit with each obligation of the page and its status, in order, until visit
// fails, and returns where the next page starts (Deadlines.Next): "" on the last page.
func (p page) walk(visit func(o *domain.Obligation, s domain.Status) error) (next string) {
	n, last, failed := 0, "", false
	for k := p.part; k < len(p.parts) && !failed && next == ""; k++ {
		var after *domain.Obligation
		if k == p.part {
			after = p.after
		}
		p.a.Walk(p.parts[k], after, func(o *domain.Obligation, s domain.Status) bool {
			if !p.matchesFn(o) {
				return true
			}
			if n == p.limit {
				next = last
				return false
			}
			if visit(o, s) != nil {
				failed = true
				return false
			}
			n, last = n+1, o.ID
			return true
		})
	}
	if failed {
		return ""
	}
	return next
}

// kindsAndOwners returns the kinds of the obligations at now and their owners, each sorted; the
// owner of management's obligations is the empty string.
func (m *model) kindsAndOwners(now time.Time) (kinds, owners []string) {
	type facets struct{ kinds, owners []string }
	f := atAgenda(m, now, func(a *domain.Agenda) facets {
		k, o := a.KindsAndOwners()
		return facets{k, o}
	})
	return f.kinds, f.owners
}
