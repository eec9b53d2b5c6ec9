// Package demo writes wsledger's demo data set: three providers and a year of their work, as
// the commands a provider's staff would submit, through the ledger service so that every rule
// applies. The data set is deterministic (a fixed seed and fixed dates), so running it again
// gives the same events; and idempotent (every command carries an idempotency key), so running
// it on a ledger that has it appends nothing.
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

// The data set covers the twelve months from FirstMonth, and nothing after End.
var (
	FirstMonth = mustMonth("2025-11")
	Months     = 12
	End        = time.Date(2026, 11, 6, 17, 0, 0, 0, domain.Anchorage)
)

// Seed is the random seed of the data set.
const Seed = 20251103

// Command is one command of the data set, the instant it happened (its occurred_at) and the
// instant staff enter it, which the ledger records (recorded_at; see simulateRecording).
type Command struct {
	At         time.Time
	OccurredAt time.Time
	JSON       []byte

	provider, typ string
}

// Commands returns the data set in the order it is submitted. The same call always returns the
// same bytes.
func Commands() []Command {
	g := newGenerator(Seed)
	for _, p := range providers {
		g.provider(p)
	}
	slices.SortStableFunc(g.steps, func(a, b Command) int { return a.OccurredAt.Compare(b.OccurredAt) })
	return simulateRecording(g.cal, g.steps)
}

// Summary says what loading the data set did.
type Summary struct {
	Commands  int            `json:"commands"`
	Appended  int            `json:"appended"`  // commands that appended events now
	Already   int            `json:"already"`   // commands the ledger had from an earlier run
	Events    int            `json:"events"`    // events appended now
	Providers []string       `json:"providers"` // the demo's providers
	ByType    map[string]int `json:"by_type"`   // commands by type
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

// Load submits the data set to the log through a ledger service whose clock is the data set's
// own: each command is decided at the instant it is dated, and clock (when not nil, the log's
// recording clock) reads that instant too. progress, when set, is called after every command. A
// refused command stops the load: the data set is meant to be accepted whole.
func Load(ctx context.Context, log events.Log, clock *Clock, progress func(done, total int)) (Summary, error) {
	cmds := Commands()
	if clock == nil {
		clock = &Clock{}
	}
	defer clock.at.Store(nil)
	svc := ledger.New(log, domain.DefaultPolicy(), clock.Now)
	s := Summary{Commands: len(cmds), ByType: map[string]int{}}
	for _, p := range providers {
		s.Providers = append(s.Providers, p.id)
	}
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

func typeOf(raw []byte) string {
	var h struct {
		Type string `json:"type"`
	}
	_ = json.Unmarshal(raw, &h)
	return h.Type
}

func mustMonth(s string) domain.Month {
	m, err := domain.ParseMonth(s)
	if err != nil {
		panic(err)
	}
	return m
}
