package domain

import (
	"slices"
	"sort"
)

// orderedSet keeps distinct items sorted by cmp in a B-tree whose nodes count the items under
// them: inserting, removing, counting the items before a point and walking on from one take
// time logarithmic in the number held. The agenda keeps a provider's obligations in such sets,
// where a sorted slice would move half of a hundred thousand obligations on every change.
type orderedSet[T any] struct {
	root *setNode[T]
	cmp  func(a, b T) int
}

// setNode is a leaf (items) or an inner node (kids). lows[i] is at or below every item under
// kids[i] and above every item under kids[i-1]; it routes a search (lows[0] is not read).
// Nodes emptied by removals leave the tree; nodes left small are not merged.
type setNode[T any] struct {
	items []T
	kids  []*setNode[T]
	lows  []T
	n     int // items under the node
}

// Node sizes: a leaf moves at most setLeafMax items on an insert.
const (
	setLeafMax  = 64
	setInnerMax = 32
)

func newOrderedSet[T any](cmp func(a, b T) int) *orderedSet[T] { return &orderedSet[T]{cmp: cmp} }

// Len returns the number of items held.
func (s *orderedSet[T]) Len() int {
	if s.root == nil {
		return 0
	}
	return s.root.n
}

// insert adds x, which must not be held already.
func (s *orderedSet[T]) insert(x T) {
	if s.root == nil {
		s.root = &setNode[T]{}
	}
	if right := s.root.insert(x, s.cmp); right != nil {
		left := s.root
		s.root = &setNode[T]{kids: []*setNode[T]{left, right}, lows: []T{left.low(), right.low()}, n: left.n + right.n}
	}
}

// remove removes x and reports whether it was held.
func (s *orderedSet[T]) remove(x T) bool {
	if s.root == nil || !s.root.remove(x, s.cmp) {
		return false
	}
	for s.root.kids != nil && len(s.root.kids) == 1 {
		s.root = s.root.kids[0]
	}
	if s.root.n == 0 {
		s.root = nil
	}
	return true
}

// countBefore returns how many items before holds for: before must hold for a first part of the
// items in order and for none after it.
func (s *orderedSet[T]) countBefore(before func(T) bool) int {
	n := 0
	for nd := s.root; nd != nil; {
		if nd.kids == nil {
			return n + sort.Search(len(nd.items), func(i int) bool { return !before(nd.items[i]) })
		}
		k := nd.routeBy(before)
		for _, kid := range nd.kids[:k] {
			n += kid.n
		}
		nd = nd.kids[k]
	}
	return n
}

// ascend calls visit with every item before does not hold for (see countBefore; nil skips
// none), in order, until visit returns false.
func (s *orderedSet[T]) ascend(before func(T) bool, visit func(T) bool) {
	c := s.seek(before)
	for x, ok := c.next(); ok && visit(x); x, ok = c.next() {
	}
}

// setCursor walks a set's items in order: next returns them one by one.
type setCursor[T any] struct{ path []cursorStep[T] } // from the root; the last step is a leaf's

type cursorStep[T any] struct {
	nd *setNode[T]
	i  int // the child walked, or the leaf's next item
}

// seek returns a cursor at the first item before does not hold for (nil: the first item).
func (s *orderedSet[T]) seek(before func(T) bool) *setCursor[T] {
	c := &setCursor[T]{}
	for nd := s.root; nd != nil; {
		if nd.kids == nil {
			i := 0
			if before != nil {
				i = sort.Search(len(nd.items), func(i int) bool { return !before(nd.items[i]) })
			}
			c.path = append(c.path, cursorStep[T]{nd, i})
			break
		}
		k := 0
		if before != nil {
			k = nd.routeBy(before)
		}
		c.path = append(c.path, cursorStep[T]{nd, k})
		nd = nd.kids[k]
	}
	return c
}

// next returns the next item, or false after the last.
func (c *setCursor[T]) next() (x T, ok bool) {
	for len(c.path) > 0 {
		leaf := &c.path[len(c.path)-1]
		if leaf.i < len(leaf.nd.items) {
			leaf.i++
			return leaf.nd.items[leaf.i-1], true
		}
		c.path = c.path[:len(c.path)-1]
		for len(c.path) > 0 {
			up := &c.path[len(c.path)-1]
			if up.i++; up.i < len(up.nd.kids) {
				for nd := up.nd.kids[up.i]; ; nd = nd.kids[0] {
					c.path = append(c.path, cursorStep[T]{nd, 0})
					if nd.kids == nil {
						break
					}
				}
				break
			}
			c.path = c.path[:len(c.path)-1]
		}
	}
	return x, false
}

func (nd *setNode[T]) low() T {
	if nd.kids == nil {
		return nd.items[0]
	}
	return nd.lows[0]
}

// route returns the child whose range holds x.
func (nd *setNode[T]) route(x T, cmp func(a, b T) int) int {
	return sort.Search(len(nd.kids)-1, func(j int) bool { return cmp(nd.lows[j+1], x) > 0 })
}

// routeBy returns the first child that may hold an item before does not hold for.
func (nd *setNode[T]) routeBy(before func(T) bool) int {
	return sort.Search(len(nd.kids)-1, func(j int) bool { return !before(nd.lows[j+1]) })
}

// insert adds x under nd and returns the new right sibling when nd had to split.
func (nd *setNode[T]) insert(x T, cmp func(a, b T) int) *setNode[T] {
	nd.n++
	if nd.kids == nil {
		i, _ := slices.BinarySearchFunc(nd.items, x, cmp)
		nd.items = slices.Insert(nd.items, i, x)
		if len(nd.items) <= setLeafMax {
			return nil
		}
		mid := len(nd.items) / 2
		right := &setNode[T]{items: slices.Clone(nd.items[mid:])}
		clear(nd.items[mid:])
		nd.items = nd.items[:mid]
		right.n, nd.n = len(right.items), mid
		return right
	}
	k := nd.route(x, cmp)
	right := nd.kids[k].insert(x, cmp)
	if right == nil {
		return nil
	}
	nd.kids = slices.Insert(nd.kids, k+1, right)
	nd.lows = slices.Insert(nd.lows, k+1, right.low())
	if len(nd.kids) <= setInnerMax {
		return nil
	}
	mid := len(nd.kids) / 2
	sibling := &setNode[T]{kids: slices.Clone(nd.kids[mid:]), lows: slices.Clone(nd.lows[mid:])}
	clear(nd.kids[mid:])
	clear(nd.lows[mid:])
	nd.kids, nd.lows = nd.kids[:mid], nd.lows[:mid]
	for _, kid := range sibling.kids {
		sibling.n += kid.n
	}
	nd.n -= sibling.n
	return sibling
}

// remove removes x from under nd and reports whether it was there.
func (nd *setNode[T]) remove(x T, cmp func(a, b T) int) bool {
	if nd.kids == nil {
		i, found := slices.BinarySearchFunc(nd.items, x, cmp)
		if !found {
			return false
		}
		nd.items = slices.Delete(nd.items, i, i+1)
		nd.n--
		return true
	}
	k := nd.route(x, cmp)
	if !nd.kids[k].remove(x, cmp) {
		return false
	}
	nd.n--
	if nd.kids[k].n == 0 {
		nd.kids = slices.Delete(nd.kids, k, k+1)
		nd.lows = slices.Delete(nd.lows, k, k+1)
	}
	return true
}
