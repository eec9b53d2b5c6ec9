package domain

import "time"

// schedule is a heap of the instants at which units of the agenda change: the earliest first
// (the next changes after the agenda's instant) or, with later set, the latest first (the last
// changes at or before it, for a move back). An entry is stale once its unit was derived again
// or dropped; stale entries are skipped as they come up.
type schedule struct {
	items []scheduled
	later bool
}

type scheduled struct {
	at  int64 // Unix nanoseconds
	u   *agendaUnit
	gen uint32
}

func (s *schedule) len() int { return len(s.items) }

func (s *schedule) push(t time.Time, u *agendaUnit) {
	s.items = append(s.items, scheduled{t.UnixNano(), u, u.gen})
	s.up(len(s.items) - 1)
}

// popUntil removes the entries up to now (those after now, with later set) and passes the
// units of the live ones to take.
func (s *schedule) popUntil(now time.Time, take func(*agendaUnit)) {
	n := now.UnixNano()
	for len(s.items) > 0 && (s.items[0].at <= n) != s.later {
		top := s.items[0]
		last := len(s.items) - 1
		s.items[0] = s.items[last]
		s.items[last] = scheduled{}
		s.items = s.items[:last]
		s.down(0)
		if top.gen == top.u.gen {
			take(top.u)
		}
	}
}

// top returns the first live entry's instant, dropping stale ones, or false when none is left.
func (s *schedule) top(live func(*agendaUnit) bool) (time.Time, bool) {
	for len(s.items) > 0 {
		if e := s.items[0]; e.gen == e.u.gen && live(e.u) {
			return time.Unix(0, e.at), true
		}
		last := len(s.items) - 1
		s.items[0] = s.items[last]
		s.items[last] = scheduled{}
		s.items = s.items[:last]
		s.down(0)
	}
	return time.Time{}, false
}

func (s *schedule) first(i, j int) bool {
	if s.later {
		return s.items[i].at > s.items[j].at
	}
	return s.items[i].at < s.items[j].at
}

func (s *schedule) up(i int) {
	for i > 0 {
		parent := (i - 1) / 2
		if !s.first(i, parent) {
			return
		}
		s.items[i], s.items[parent] = s.items[parent], s.items[i]
		i = parent
	}
}

func (s *schedule) down(i int) {
	for {
		c := 2*i + 1
		if c >= len(s.items) {
			return
		}
		if c+1 < len(s.items) && s.first(c+1, c) {
			c++
		}
		if !s.first(c, i) {
			return
		}
		s.items[i], s.items[c] = s.items[c], s.items[i]
		i = c
	}
}

func (s *schedule) heapify() {
	for i := len(s.items)/2 - 1; i >= 0; i-- {
		s.down(i)
	}
}
