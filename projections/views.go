package projections

import (
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/projections/runner"
)

// Views is the live read models of every provider. A runner (Views.Runner) applies the log's
// events to it while any number of goroutines read it: each provider's model is guarded by its own
// read-write lock, and every read computes a fresh result value the caller owns.
type Views struct {
	log     events.Log
	policy  domain.Policy
	watches watches
	email   atomic.Value // string: the Overview.WSTAEmail the process that serves the views set
	// saved is the runner whose saved states a replay starts from (Views.Runner), nil before.
	saved atomic.Pointer[runner.Runner]

	mu        sync.RWMutex
	providers map[string]*entry
}

type entry struct {
	mu sync.RWMutex
	m  *model
}

// New returns empty views of the log under a policy. Run the runner from Views.Runner to fill them
// and keep them up to date; Audit and Replay read the log directly.
func New(log events.Log, policy domain.Policy) *Views {
	return &Views{log: log, policy: policy, providers: map[string]*entry{}, watches: watches{set: map[*watch]struct{}{}}}
}

// SetWSTAEmail says whether the process serving the views e-mails WSTA's notices (WSTAEmailSetUp
// or WSTAEmailNotSetUp); every Overview shows it. Views nobody told (a replay on the command
// line) show nothing.
func (v *Views) SetWSTAEmail(state string) { v.email.Store(state) }

// withEmail adds what SetWSTAEmail said to an overview.
func (v *Views) withEmail(o Overview) Overview {
	o.WSTAEmail, _ = v.email.Load().(string)
	return o
}

// RunnerName is the runner name Views.Runner uses unless told otherwise.
const RunnerName = "views"

// Runner returns the runner that keeps v up to date from its log and saves snapshots in the
// object store of js. opts.Name defaults to RunnerName; opts.Version is always the version of the
// views' saved form, so that a new release with another form rebuilds from the log.
func (v *Views) Runner(js jetstream.JetStream, opts runner.Options) *runner.Runner {
	if opts.Name == "" {
		opts.Name = RunnerName
	}
	opts.Version = modelVersion
	r := runner.New(v.log, js, target{v}, opts)
	v.saved.Store(r)
	return r
}

// Providers lists the providers the views hold, sorted.
func (v *Views) Providers() []string {
	v.mu.RLock()
	defer v.mu.RUnlock()
	out := make([]string, 0, len(v.providers))
	for p := range v.providers {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// read runs fn on a provider's model under its read lock.
func read[T any](v *Views, provider string, fn func(*model) T) (T, error) {
	v.mu.RLock()
	e := v.providers[provider]
	v.mu.RUnlock()
	if e == nil {
		var zero T
		return zero, events.Errorf(events.NotFound, "provider", "Provider %s has no events in the ledger.", provider)
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	return fn(e.m), nil
}

// AppendDeadlinePage appends to b the JSON of DeadlinePage(provider, now, q), as
// Deadlines.AppendJSON writes it, without building the page first.
func (v *Views) AppendDeadlinePage(b []byte, provider string, now time.Time, q DeadlineQuery) ([]byte, error) {
	type appended struct {
		b   []byte
		err error
	}
	a, err := read(v, provider, func(m *model) appended {
		b, err := m.appendDeadlinePage(b, now, q)
		return appended{b, err}
	})
	if err != nil {
		return nil, err
	}
	return a.b, a.err
}

// Deadlines returns every obligation of a provider and its status at now.
func (v *Views) Deadlines(provider string, now time.Time) (Deadlines, error) {
	return read(v, provider, func(m *model) Deadlines { return withObligations(m, now, m.deadlines) })
}

// DeadlinePage returns one page of a provider's obligations at now, as q selects them, with the
// counts of all of them. A bad query is an events.Error naming its field.
func (v *Views) DeadlinePage(provider string, now time.Time, q DeadlineQuery) (Deadlines, error) {
	type page struct {
		d   Deadlines
		err error
	}
	p, err := read(v, provider, func(m *model) page {
		d, err := m.deadlinePage(now, q)
		return page{d, err}
	})
	if err != nil {
		return Deadlines{}, err
	}
	return p.d, p.err
}

// DeadlineKinds returns the kinds of a provider's obligations at now and their owners, each
// sorted, for filters; the owner of management's obligations is the empty string.
func (v *Views) DeadlineKinds(provider string, now time.Time) (kinds, owners []string, err error) {
	type facets struct{ kinds, owners []string }
	f, err := read(v, provider, func(m *model) facets {
		k, o := m.kindsAndOwners(now)
		return facets{k, o}
	})
	return f.kinds, f.owners, err
}

// Coverage returns a provider's file-review coverage by month.
func (v *Views) Coverage(provider string) (Coverage, error) {
	return read(v, provider, (*model).coverage)
}

// Corrections returns a provider's findings and corrections at now.
func (v *Views) Corrections(provider string, now time.Time) (Corrections, error) {
	return read(v, provider, func(m *model) Corrections { return withObligations(m, now, m.corrections) })
}

// Accuracy returns a provider's work-verification accuracy and performance-confirmation status.
func (v *Views) Accuracy(provider string) (Accuracy, error) {
	return read(v, provider, (*model).accuracy)
}

// Measures returns a provider's performance measures.
func (v *Views) Measures(provider string) (Measures, error) {
	return read(v, provider, (*model).measures)
}

// Concerns returns a provider's client concerns at now.
func (v *Views) Concerns(provider string, now time.Time) (Concerns, error) {
	return read(v, provider, func(m *model) Concerns { return withObligations(m, now, m.concerns) })
}

// Overview returns a provider's headline numbers at now.
func (v *Views) Overview(provider string, now time.Time) (Overview, error) {
	return read(v, provider, func(m *model) Overview { return v.withEmail(m.overview(now)) })
}

// Attention returns what needs doing at a provider at now, each list at most limit long.
func (v *Views) Attention(provider string, now time.Time, limit int) (Attention, error) {
	return read(v, provider, func(m *model) Attention {
		a := m.attention(now, limit)
		a.Overview = v.withEmail(a.Overview)
		return a
	})
}

// AttentionStamp returns the stamp of what Attention shows at now, without building it: a
// caller that kept what it made of Attention at an instant with the same stamp can use it again.
func (v *Views) AttentionStamp(provider string, now time.Time) (AttentionStamp, error) {
	return read(v, provider, func(m *model) AttentionStamp { return m.attentionStamp(now) })
}

// Statewide returns every provider's overview at now, their totals and the state's measures.
func (v *Views) Statewide(now time.Time) Statewide {
	s := Statewide{At: now.UTC(), Providers: []Overview{}}
	months, years := rateSums{}, rateSums{}
	for _, p := range v.Providers() {
		o, err := read(v, p, func(m *model) Overview {
			m.addTotals(months, years)
			return v.withEmail(m.overview(now))
		})
		if err != nil {
			continue // dropped by a reset meanwhile
		}
		s.Providers = append(s.Providers, o)
		s.Totals.add(o)
	}
	s.Measures = Measures{Scope: StatewideScope, Months: months.rows(), Years: years.rows()}
	return s
}

// target lets a runner keep the views.
type target struct{ v *Views }

func (t target) Apply(e events.Envelope) error {
	v := t.v
	v.mu.Lock()
	en := v.providers[e.Provider]
	if en == nil {
		en = &entry{m: newModel(e.Provider, v.policy)}
		v.providers[e.Provider] = en
	}
	v.mu.Unlock()
	en.mu.Lock()
	err := en.m.apply(e)
	en.mu.Unlock()
	v.watches.notify(e.Provider)
	return err
}

func (t target) Save(provider string) ([]byte, error) {
	type saved struct {
		data []byte
		err  error
	}
	s, err := read(t.v, provider, func(m *model) saved {
		data, err := m.marshal()
		return saved{data, err}
	})
	if err != nil {
		return nil, err
	}
	return s.data, s.err
}

// Period keeps one saved state a month, the Alaska month of the provider's last event recorded,
// for replays of the past (Views.Replay).
func (t target) Period(provider string) string {
	p, err := read(t.v, provider, func(m *model) string {
		if m.st.Chain.LastRecorded.IsZero() {
			return ""
		}
		return domain.DateOf(m.st.Chain.LastRecorded).MonthOf().String()
	})
	if err != nil {
		return ""
	}
	return p
}

func (t target) Load(provider string, data []byte) error {
	m, err := unmarshalModel(provider, data, t.v.policy)
	if err != nil {
		return err
	}
	t.v.mu.Lock()
	t.v.providers[provider] = &entry{m: m}
	t.v.mu.Unlock()
	t.v.watches.notify(provider)
	return nil
}

func (t target) Reset() {
	v := t.v
	v.mu.Lock()
	dropped := make([]string, 0, len(v.providers))
	for p := range v.providers {
		dropped = append(dropped, p)
	}
	clear(v.providers)
	v.mu.Unlock()
	for _, p := range dropped {
		v.watches.notify(p)
	}
}
