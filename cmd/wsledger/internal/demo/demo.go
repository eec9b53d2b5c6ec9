// Package demo writes wsledger's demo data set: three providers and a year of their work up to a
// day (today, by default), as the commands a provider's staff would submit, through the ledger
// service so that every rule applies. The data set is deterministic (a fixed seed, and dates
// set by the day it ends), so running it again for the same day gives the same events; and
// idempotent (every command carries an idempotency key), so running it on a ledger that has it
// appends nothing.
package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync/atomic"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/ledger"
	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
)

// Months is how many whole months the data set covers before the month it ends in, whose work
// it holds up to its end.
const Months = 12

// Seed is the random seed of the data set.
const Seed = 20251103

// EndHour is the hour of the day, in Alaska, at which a data set ending on a past day ends.
const EndHour = 17

// EndOn returns the instant a data set ending on day d ends: the end of the working day
// (EndHour, in Alaska), or now, to the minute, when d is today and that hour has not come yet.
// It is never before the day's fifth minute, so the day's work has room.
func EndOn(d domain.Date, now time.Time) time.Time {
	end := time.Date(d.Year, d.Month, d.Day, EndHour, 0, 0, 0, domain.Anchorage)
	if now.Before(end) {
		end = now.Truncate(time.Minute)
	}
	return latest(end, d.Start().Add(5*time.Minute))
}

// Command is one command of the data set, the instant it happened (its occurred_at) and the
// instant staff enter it, which the ledger records (recorded_at; see simulateRecording).
type Command struct {
	At         time.Time
	OccurredAt time.Time
	JSON       []byte

	fields        map[string]any // while the generator builds it
	provider, typ string
}

// Commands returns the data set that ends at end, in the order it is submitted: the Months
// whole months before end's month, that month up to end, and the work in hand at end. The same
// end always gives the same bytes; any end gives the same amount of work, done on time, late or
// not yet in the same proportions, and in hand at end the same overdue, due-soon and open work
// (see docs/operations.md, "The demo").
func Commands(end time.Time) []Command {
	g := newGenerator(end)
	for _, p := range providers {
		g.provider(p)
	}
	return simulateRecording(g.cal, g.settle(), g.end)
}

func sortByTime(cmds []Command) {
	slices.SortStableFunc(cmds, func(a, b Command) int { return a.At.Compare(b.At) })
}

func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// Summary says what loading the data set did.
type Summary struct {
	Commands  int       `json:"commands"`
	Appended  int       `json:"appended"`  // commands that appended events now
	Already   int       `json:"already"`   // commands the ledger had from an earlier run
	Events    int       `json:"events"`    // events appended now
	Providers []string  `json:"providers"` // the demo's providers
	End       time.Time `json:"end"`       // the data set's last instant
	// Kept is set when the log held the data set of another end, which Load left as it was.
	Kept   bool           `json:"kept,omitempty"`
	ByType map[string]int `json:"by_type"` // commands by type
}

// Clock is the ledger's clock when it may load the demo: the wall clock, except while Load runs,
// when it is the instant of the command being submitted. Given to the log as its recording clock
// (store.Options.Now), it records the demo year as if the ledger had been running through it, so
// that replays on the recorded clock show what the ledger knew when.
type Clock struct{ at atomic.Pointer[time.Time] }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	if t := c.at.Load(); t != nil {
		return *t
	}
	return time.Now()
}

// Load submits the data set that ends at end to the log through a ledger service whose clock is
// the data set's own: each command is decided at the instant it is dated, and clock (when not
// nil, the log's recording clock) reads that instant too. progress, when set, is called after
// every command. A refused command stops the load: the data set is meant to be accepted whole.
// A log that already holds the data set of another end is left as it is (Summary.Kept): the
// two would share idempotency keys for different commands.
func Load(ctx context.Context, log events.Log, clock *Clock, end time.Time, progress func(done, total int)) (Summary, error) {
	return LoadWith(ctx, log, domain.DefaultPolicy(), clock, end, progress)
}

// LoadWith is Load with the ledger's policy (its subject key).
func LoadWith(ctx context.Context, log events.Log, policy domain.Policy, clock *Clock, end time.Time, progress func(done, total int)) (Summary, error) {
	cmds := Commands(end)
	if clock == nil {
		clock = &Clock{}
	}
	defer clock.at.Store(nil)
	s := Summary{Commands: len(cmds), End: end, ByType: map[string]int{}}
	for _, p := range providers {
		s.Providers = append(s.Providers, p.id)
	}
	other, err := holdsAnotherEnd(ctx, log, cmds)
	if err != nil || other {
		s.Kept = other
		return s, err
	}
	svc := ledger.New(log, policy, clock.Now)
	for i, c := range cmds {
		clock.at.Store(&c.At)
		res, err := svc.Submit(ctx, c.JSON)
		if err != nil {
			return s, fmt.Errorf("demo command %d (%s) was refused: %w", i+1, typeOf(c.JSON), err)
		}
		if res.Duplicate {
			s.Already++
		} else {
			s.Appended++
			s.Events += len(res.Events)
		}
		s.ByType[typeOf(c.JSON)]++
		if progress != nil {
			progress(i+1, len(cmds))
		}
	}
	return s, nil
}

// holdsAnotherEnd reports whether the log holds the data set's first command (its first
// provider's registration) but not its last one as dated here: the data set of another end was
// loaded before.
func holdsAnotherEnd(ctx context.Context, log events.Log, cmds []Command) (bool, error) {
	held := func(c Command) (found, same bool, err error) {
		var h struct {
			Provider       string `json:"provider"`
			IdempotencyKey string `json:"idempotency_key"`
		}
		if err := json.Unmarshal(c.JSON, &h); err != nil {
			return false, false, err
		}
		res, found, err := log.Lookup(ctx, h.Provider, h.IdempotencyKey)
		return found, found && len(res.Events) > 0 && res.Events[0].OccurredAt.Equal(c.OccurredAt), err
	}
	if found, _, err := held(cmds[0]); err != nil || !found {
		return false, err
	}
	_, same, err := held(cmds[len(cmds)-1])
	return !same, err
}

func typeOf(raw []byte) string {
	var h struct {
		Type string `json:"type"`
	}
	_ = json.Unmarshal(raw, &h)
	return h.Type
}
