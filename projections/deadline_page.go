package projections

import (
	"cmp"
	"slices"
	"sort"
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

// statusFilters names the parts of current a Status filter selects, in order.
var statusFilters = map[string]func(c *current) [][]int32{
	DeadlinesAll:                       func(c *current) [][]int32 { return [][]int32{c.unmet, c.waiting, c.met} },
	DeadlinesUnmet:                     func(c *current) [][]int32 { return [][]int32{c.unmet, c.waiting} },
	DeadlinesMet:                       func(c *current) [][]int32 { return [][]int32{c.met} },
	string(domain.StatusOpen):          byStatus(domain.StatusOpen),
	string(domain.StatusDueSoon):       byStatus(domain.StatusDueSoon),
	string(domain.StatusOverdue):       byStatus(domain.StatusOverdue),
	string(domain.StatusMetOnTime):     byStatus(domain.StatusMetOnTime),
	string(domain.StatusMetLate):       byStatus(domain.StatusMetLate),
	string(domain.StatusWaitingForDPA): byStatus(domain.StatusWaitingForDPA),
}

func byStatus(s domain.Status) func(c *current) [][]int32 {
	return func(c *current) [][]int32 { return [][]int32{c.byStatus[s]} }
}

// deadlinePage returns one page of the provider's deadlines at now; Counts are of every
// obligation, Matched of those the query's filters select.
func (m *model) deadlinePage(now time.Time, q DeadlineQuery) (Deadlines, error) {
	p, err := m.pageOf(now, q)
	if err != nil {
		return Deadlines{}, err
	}
	d := Deadlines{Provider: m.st.Provider, At: now.UTC(), Counts: p.c.counts, Matched: p.matched(), Items: make([]Deadline, 0, min(p.limit, len(p.c.list)))}
	d.Next = p.walk(func(i int32) error {
		d.Items = append(d.Items, deadlineOf(p.c.list[i], now, p.c.status[i], m.policy)) // the same at every instant c holds
		return nil
	})
	return d, nil
}

// appendDeadlinePage appends the JSON of deadlinePage(now, q), as Deadlines.AppendJSON writes it,
// without making the page's items: the deadline view's reads.
func (m *model) appendDeadlinePage(b []byte, now time.Time, q DeadlineQuery) ([]byte, error) {
	p, err := m.pageOf(now, q)
	if err != nil {
		return nil, err
	}
	d := Deadlines{Provider: m.st.Provider, At: now.UTC(), Counts: p.c.counts, Matched: p.matched()}
	if b, err = d.appendHead(b); err != nil {
		return nil, err
	}
	b = append(b, '[')
	first := true
	d.Next = p.walk(func(i int32) error {
		if !first {
			b = append(b, ',')
		}
		first = false
		it := deadlineOf(p.c.list[i], now, p.c.status[i], m.policy)
		b, err = it.appendJSON(b)
		return err
	})
	if err != nil {
		return nil, err
	}
	b = append(b, ']')
	return d.appendTail(b), nil
}

// page is one page of a provider's obligations as a query selects it.
type page struct {
	c         *current
	q         DeadlineQuery
	limit     int
	parts     [][]int32 // the statuses selected, in order
	part, at  int       // where the page starts
	matchesFn func(o *domain.Obligation) bool
}

func (m *model) pageOf(now time.Time, q DeadlineQuery) (page, error) {
	if err := q.Check(); err != nil {
		return page{}, err
	}
	c := m.current(now)
	p := page{c: c, q: q, limit: cmp.Or(q.Limit, DefaultDeadlineLimit), parts: statusFilters[cmp.Or(q.Status, DeadlinesAll)](c)}
	var err error
	if p.part, p.at, err = c.resume(p.parts, q.After); err != nil {
		return page{}, err
	}
	p.matchesFn = func(o *domain.Obligation) bool {
		return (q.Kind == "" || o.Kind == q.Kind) && (q.Owner == "" || o.Owner == q.Owner || q.Owner == ManagementOwner && o.Owner == "") &&
			(!q.LateEntries || enteredLate(o, m.policy))
	}
	return p, nil
}

// matched counts the obligations the filters select, on every page.
func (p page) matched() (n int) {
	for _, part := range p.parts {
		if p.q.Kind == "" && p.q.Owner == "" && !p.q.LateEntries {
			n += len(part)
			continue
		}
		for _, i := range part {
			if p.matchesFn(&p.c.list[i]) {
				n++
			}
		}
	}
	return n
}

// walk calls visit with the position in c.list of each obligation of the page, in order, until
// visit fails, and returns where the next page starts (Deadlines.Next): "" on the last page.
func (p page) walk(visit func(i int32) error) (next string) {
	n, last := 0, int32(-1)
	for part, at := p.part, p.at; part < len(p.parts); part, at = part+1, 0 {
		for _, i := range p.parts[part][at:] {
			if !p.matchesFn(&p.c.list[i]) {
				continue
			}
			if n == p.limit {
				return p.c.list[last].ID
			}
			if visit(i) != nil {
				return ""
			}
			n, last = n+1, i
		}
	}
	return ""
}

// resume returns where a page that follows the obligation of id after starts: the part of the
// selection and the position in it. An obligation that no longer matches (its status changed)
// still marks its place by due instant and id.
func (c *current) resume(parts [][]int32, after string) (part, at int, err error) {
	if after == "" {
		return 0, 0, nil
	}
	i, ok := c.index[after]
	if !ok {
		return 0, 0, events.Errorf(events.Invalid, "after", "after must be the id of one of the provider's obligations: the next of the page before.")
	}
	last := &c.list[i]
	next := func(p []int32) int {
		return sort.Search(len(p), func(j int) bool {
			o := &c.list[p[j]]
			return cmp.Or(o.Due.Compare(last.Due), cmp.Compare(o.ID, last.ID)) > 0
		})
	}
	// The part that holds it; one that no longer does (its status changed) is placed among the
	// met when it is met, else among the first part's.
	if !last.MetAt.IsZero() {
		part = len(parts) - 1
	}
	for k, p := range parts {
		if at := next(p); at > 0 && p[at-1] == i {
			return k, at, nil
		}
	}
	return part, next(parts[part]), nil
}

// kindsAndOwners returns the kinds of the obligations at now and their owners, each sorted; the
// owner of management's obligations is the empty string.
func (m *model) kindsAndOwners(now time.Time) (kinds, owners []string) {
	c := m.current(now)
	c.facets.Do(func() {
		k, o := map[string]bool{}, map[string]bool{}
		for i := range c.list {
			k[c.list[i].Kind], o[c.list[i].Owner] = true, true
		}
		for s := range k {
			c.kinds = append(c.kinds, s)
		}
		for s := range o {
			c.owners = append(c.owners, s)
		}
		slices.Sort(c.kinds)
		slices.Sort(c.owners)
	})
	return c.kinds, c.owners
}
