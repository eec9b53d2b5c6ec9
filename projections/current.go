package projections

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/wsledger/wsledger/domain"
)

// kept is a provider's obligations as the views read them: the book's domain.Agenda, made at the
// first read and from then on kept by every event applied and moved to each instant read, so
// that a read after an event costs what the event changed rather than the provider's history.
// Readers share the model's read lock, so the agenda has its own mutex: a read moves it to its
// instant and reads it under that mutex. The overview's numbers are kept while the agenda's
// version holds.
type kept struct {
	mu       sync.Mutex
	agenda   *domain.Agenda
	id       uint64 // unique in the process, for AttentionStamp
	overview Overview
	version  uint64 // of the agenda when overview was computed; 0 for none
	// findings holds the position in the model's findings of each finding id's first one, for
	// the findings indexed so far.
	findings map[string]int32
	indexed  int
}

// keptIDs numbers the agendas of the process.
var keptIDs atomic.Uint64

// applied passes an event's payload to the agenda, once the book has applied it.
func (k *kept) applied(payload any) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.agenda != nil {
		k.agenda.Applied(payload)
	}
}

// atAgenda calls fn with the provider's agenda at now and returns what it returns. fn must not
// keep the agenda or what it holds.
func atAgenda[T any](m *model, now time.Time, fn func(a *domain.Agenda) T) T {
	k := &m.kept
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.agenda == nil {
		k.agenda, k.id = domain.NewAgenda(m.st.Book), keptIDs.Add(1)
	}
	k.agenda.MoveTo(now)
	return fn(k.agenda)
}

// obligationsAt is a provider's obligations at an instant, for the views that look them up by id.
type obligationsAt struct {
	now time.Time
	a   *domain.Agenda // at now
}

// get returns the obligation of an id, if there is one at now.
func (ob obligationsAt) get(id string) (domain.Obligation, bool) {
	if o, ok := ob.a.Get(id); ok {
		return *o, true
	}
	return domain.Obligation{}, false
}

// withObligations calls fn with the provider's obligations at now.
func withObligations[T any](m *model, now time.Time, fn func(ob obligationsAt) T) T {
	return atAgenda(m, now, func(a *domain.Agenda) T { return fn(obligationsAt{now: now, a: a}) })
}

// findingIndex returns the position in the model's findings of the first finding of an id.
func (m *model) findingIndex(id string) (int32, bool) {
	k := &m.kept
	if k.findings == nil {
		k.findings = map[string]int32{}
	}
	for ; k.indexed < len(m.st.Findings); k.indexed++ {
		if _, ok := k.findings[m.st.Findings[k.indexed].ID]; !ok {
			k.findings[m.st.Findings[k.indexed].ID] = int32(k.indexed)
		}
	}
	i, ok := k.findings[id]
	return i, ok
}
