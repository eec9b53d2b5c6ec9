package projections

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/wsledger/wsledger/domain"

	"github.com/wsledger/wsledger/events"
)

// Replay is one provider's views rebuilt from the log as of an instant, computed at that instant.
// On the Recorded clock it shows what the ledger knew at At (events recorded at or before it); on
// the Occurred clock what had happened by At, as the ledger knows it now (events that occurred at
// or before it, including ones recorded later). A Replay does not change and is safe for
// concurrent use.
type Replay struct {
	Provider string
	At       time.Time
	Clock    events.Clock
	m        *model
	from     uint64 // the last sequence of the saved state it started from; 0 from the first event
}

// Replay reads one provider's events as of at on clock (events.Recorded when empty) and rebuilds
// its views. It reads only that provider's events, and starts from a saved state of the provider
// when the views' runner kept one that holds only events at or before at on both clocks (see
// savedBefore): then it reads only the events after that state. Either way the views are those of
// a replay from the first event.
func (v *Views) Replay(ctx context.Context, provider string, at time.Time, clock events.Clock) (*Replay, error) {
	if err := events.CheckProvider(provider); err != nil {
		return nil, err
	}
	if clock == "" {
		clock = events.Recorded
	}
	if clock != events.Recorded && clock != events.Occurred {
		return nil, events.Errorf(events.Invalid, "clock", "The clock must be %q or %q.", events.Recorded, events.Occurred)
	}
	saved := v.savedBefore(ctx, provider, at)
	m, err := v.replay(ctx, saved, provider, at, clock)
	if errors.Is(err, errSavedStateDiffers) {
		saved = nil
		m, err = v.replay(ctx, nil, provider, at, clock)
	}
	if err != nil {
		return nil, err
	}
	if m.st.Chain.Events == 0 {
		return nil, events.Errorf(events.NotFound, "provider", "Provider %s has no events as of %s on the %s clock.", provider, at.UTC().Format(time.RFC3339), clock)
	}
	r := &Replay{Provider: provider, At: at, Clock: clock, m: m}
	if saved != nil {
		r.from = saved.st.Chain.Sequence
	}
	return r, nil
}

// errSavedStateDiffers is a saved state whose last event is not in the log as it saw it.
var errSavedStateDiffers = errors.New("projections: a saved state does not match the log")

// replay applies to from (a new model when nil) the provider's events after it that belong to
// the replay. A saved state is checked against the chain first: the log's event at its last
// sequence must be the provider's, with the hash it saw.
func (v *Views) replay(ctx context.Context, from *model, provider string, at time.Time, clock events.Clock) (*model, error) {
	m, start := from, uint64(0)
	if m == nil {
		m = newModel(provider, v.policy)
	} else {
		start = m.st.Chain.Sequence
	}
	m.gaps = clock == events.Occurred
	checked := start == 0
	for e, err := range v.log.Read(ctx, events.ReadOptions{Provider: provider, From: start, AsOf: at, Clock: clock}) {
		if err != nil {
			return nil, err
		}
		if !checked {
			if e.Sequence != start || e.Hash != m.st.Chain.Hash {
				return nil, errSavedStateDiffers
			}
			checked = true
			continue
		}
		if err := m.apply(e); err != nil {
			return nil, err
		}
	}
	if !checked {
		return nil, errSavedStateDiffers
	}
	return m, nil
}

// savedStatesTried bounds how many months back a replay looks for a saved state.
const savedStatesTried = 13

// savedBefore returns the provider's newest saved state that holds only events recorded and
// occurred at or before at: the latest the runner saved, else the one kept for at's month or one
// of the months before. On the occurred clock a late entry recorded after the state is read with
// the events after it, in stream order, as a replay from the first event reads it. Nil when there
// is none, or the store cannot be read (the replay then reads every event).
func (v *Views) savedBefore(ctx context.Context, provider string, at time.Time) *model {
	r := v.saved.Load()
	if r == nil {
		return nil
	}
	periods := []string{""}
	for m, i := domain.DateOf(at).MonthOf(), 0; i < savedStatesTried; m, i = m.Prev(), i+1 {
		periods = append(periods, m.String())
	}
	for data, err := range r.Saved(ctx, provider, periods...) {
		if err != nil {
			return nil
		}
		if !holdsOnlyBefore(data, at) {
			continue
		}
		if m, err := unmarshalModel(provider, data, v.policy); err == nil {
			return m
		}
	}
	return nil
}

// holdsOnlyBefore reads only the chain of a saved state: whether every event it holds was
// recorded and occurred at or before at.
func holdsOnlyBefore(data []byte, at time.Time) bool {
	c, ok := savedChain(data)
	if !ok || c.Events == 0 {
		return false
	}
	return !c.LastRecorded.After(at) && !c.LastOccurred.IsZero() && !c.LastOccurred.After(at)
}

// savedChain reads the chain of a saved model, which comes before its records: the members
// before it are skipped and the rest is not read.
func savedChain(data []byte) (chain, bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return chain{}, false
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return chain{}, false
		}
		if t == "chain" {
			var c chain
			return c, dec.Decode(&c) == nil
		}
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			return chain{}, false
		}
	}
	return chain{}, false
}

// Deadlines returns the provider's obligations at the replay's instant.
func (r *Replay) Deadlines() Deadlines { return withObligations(r.m, r.At, r.m.deadlines) }

// DeadlinePage returns one page of the deadlines, as Views.DeadlinePage does.
func (r *Replay) DeadlinePage(q DeadlineQuery) (Deadlines, error) { return r.m.deadlinePage(r.At, q) }

// Coverage returns the provider's file-review coverage as of the replay's instant.
func (r *Replay) Coverage() Coverage { return r.m.coverage() }

// Corrections returns the provider's findings and corrections at the replay's instant.
func (r *Replay) Corrections() Corrections { return withObligations(r.m, r.At, r.m.corrections) }

// Accuracy returns the provider's accuracy and confirmation status as of the replay's instant.
func (r *Replay) Accuracy() Accuracy { return r.m.accuracy() }

// Measures returns the provider's performance measures as of the replay's instant.
func (r *Replay) Measures() Measures { return r.m.measures() }

// Concerns returns the provider's client concerns at the replay's instant.
func (r *Replay) Concerns() Concerns { return withObligations(r.m, r.At, r.m.concerns) }

// Overview returns the provider's headline numbers at the replay's instant.
func (r *Replay) Overview() Overview { return r.m.overview(r.At) }

// Attention returns what needed doing at the replay's instant, as Views.Attention does.
func (r *Replay) Attention(limit int) Attention { return r.m.attention(r.At, limit) }

// DeadlineKinds returns the kinds and owners of the obligations at the replay's instant, as
// Views.DeadlineKinds does.
func (r *Replay) DeadlineKinds() (kinds, owners []string) { return r.m.kindsAndOwners(r.At) }
