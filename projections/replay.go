package projections

import (
	"context"
	"time"

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
}

// Replay reads one provider's events as of at on clock (events.Recorded when empty) and rebuilds
// its views. It reads only that provider's events.
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
	m := newModel(provider, v.policy)
	m.gaps = clock == events.Occurred
	for e, err := range v.log.Read(ctx, events.ReadOptions{Provider: provider, AsOf: at, Clock: clock}) {
		if err != nil {
			return nil, err
		}
		if err := m.apply(e); err != nil {
			return nil, err
		}
	}
	if m.st.Chain.Events == 0 {
		return nil, events.Errorf(events.NotFound, "provider", "Provider %s has no events as of %s on the %s clock.", provider, at.UTC().Format(time.RFC3339), clock)
	}
	return &Replay{Provider: provider, At: at, Clock: clock, m: m}, nil
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
