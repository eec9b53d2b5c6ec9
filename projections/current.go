package projections

import (
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wsledger/wsledger/domain"
)

// current is a provider's obligations at an instant and where each stands, computed at one
// instant (from) and holding from the last instant at or before it at which something they show
// may have changed (since) until the next (until): the book names both for its obligations and
// their statuses (domain.Book.ObligationsHolding), and the model adds its own records' instants.
// Computing them walks the provider's whole history; every read between two changes shares the
// result, including a read that took its instant just before another reader computed them.
type current struct {
	gen                uint64    // this computation's number, unique in the process (AttentionStamp)
	since, from, until time.Time // until is zero when nothing changes with time
	list               []domain.Obligation
	index              map[string]int32 // id -> position in list
	status             []domain.Status  // of list[i], the same at every instant in [from, until)
	byStatus           map[domain.Status][]int32
	unmet              []int32 // overdue, due soon, then open: by due instant, then id
	waiting            []int32 // waiting for DPA, by due instant, then id: kept apart, as nothing is due of them yet
	met                []int32 // by due instant, then id
	counts             StatusCounts
	overview           Overview // at from; Overview fills in At and DueThisWeek for the instant asked
	// kinds and owners of the obligations, for filters; computed on first use.
	facets        sync.Once
	kinds, owners []string
	// open is the negative findings not yet corrected, for Attention; computed on first use.
	findings sync.Once
	open     []finding
	// calls is the unmet call returns by opening instant and subject, and correcting the
	// number of findings with an unmet correction, for Attention; computed on first use.
	unmetOnce  sync.Once
	calls      []int32
	correcting int
}

// currentGen numbers the computations of current.
var currentGen atomic.Uint64

// holds reports whether c shows the provider at now.
func (c *current) holds(now time.Time) bool {
	return !now.Before(c.since) && (c.until.IsZero() || now.Before(c.until))
}

// currentCache keeps the latest current of a model, and the one before it for readers that took
// their instant just before it was replaced. Readers share the model's read lock, so the cache has
// its own mutex; one reader computes while the others wait for its result. The model's writer
// clears it.
type currentCache struct {
	mu        sync.Mutex
	cur, prev *current
}

// clear drops what the cache holds: the model has changed.
func (c *currentCache) clear() {
	c.mu.Lock()
	c.cur, c.prev = nil, nil
	c.mu.Unlock()
}

// current returns the provider's obligations at now, computed at most once while they hold. An
// instant before the kept ones (a view of the past) is computed apart, without holding up the
// readers of the present or replacing what they share.
func (m *model) current(now time.Time) *current {
	c := &m.cache
	c.mu.Lock()
	for _, k := range []*current{c.cur, c.prev} {
		if k != nil && k.holds(now) {
			c.mu.Unlock()
			return k
		}
	}
	if c.cur != nil && now.Before(c.cur.since) {
		c.mu.Unlock()
		return m.computeCurrent(now) // the model only reads, under the caller's read lock
	}
	defer c.mu.Unlock()
	k := m.computeCurrent(now)
	c.prev, c.cur = c.cur, k
	return k
}

func (m *model) computeCurrent(now time.Time) *current {
	list, since, until := m.st.Book.ObligationsHolding(now)
	since, until = m.recordsHolding(now, since, until)
	c := &current{
		gen: currentGen.Add(1), since: since, from: now, until: until, list: list,
		index: make(map[string]int32, len(list)), status: make([]domain.Status, len(list)),
		byStatus: map[domain.Status][]int32{},
	}
	for i, o := range list {
		s := o.Status(now, m.policy)
		c.index[o.ID], c.status[i] = int32(i), s
		c.counts.add(s)
	}
	// The lists by status are allocated at their size: the met ones are most of a long history.
	k := c.counts
	unmet := k.Open + k.DueSoon + k.Overdue
	c.unmet, c.met = make([]int32, 0, unmet), make([]int32, 0, len(list)-unmet-k.WaitingForDPA)
	for s, n := range map[domain.Status]int{domain.StatusOpen: k.Open, domain.StatusDueSoon: k.DueSoon, domain.StatusOverdue: k.Overdue, domain.StatusMetOnTime: k.MetOnTime, domain.StatusMetLate: k.MetLate, domain.StatusWaitingForDPA: k.WaitingForDPA} {
		c.byStatus[s] = make([]int32, 0, n)
	}
	for i, s := range c.status {
		c.byStatus[s] = append(c.byStatus[s], int32(i))
		if s == domain.StatusWaitingForDPA {
			c.waiting = append(c.waiting, int32(i))
		} else if list[i].MetAt.IsZero() {
			c.unmet = append(c.unmet, int32(i))
		} else {
			c.met = append(c.met, int32(i))
		}
	}
	c.overview = m.computeOverview(obligationsAt{now: now, list: list, index: c.index}, c.counts.Overdue)
	return c
}

// recordsHolding narrows [since, until) to the instants between which no record the views show
// by instant comes into view: a finding made, a concern received or forwarded to WSTA.
func (m *model) recordsHolding(now, since, until time.Time) (time.Time, time.Time) {
	note := func(t time.Time) {
		switch {
		case t.After(now):
			if until.IsZero() || t.Before(until) {
				until = t
			}
		case t.After(since):
			since = t
		}
	}
	for _, f := range m.st.Findings {
		note(f.At.Time())
	}
	for _, k := range m.st.Concerns {
		note(k.ReceivedAt.Time())
		if !k.ForwardedAt.IsZero() {
			note(k.ForwardedAt.Time())
		}
	}
	return since, until
}

// dueBefore counts c's unmet obligations due before t.
func (c *current) dueBefore(t time.Time) int {
	return sort.Search(len(c.unmet), func(i int) bool { return !c.list[c.unmet[i]].Due.Before(t) })
}
