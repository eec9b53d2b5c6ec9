package demo

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/wsledger/wsledger/domain"
)

// generator builds the data set's commands from a seeded random source.
type generator struct {
	r     *rand.Rand
	cal   *domain.Calendar
	steps []Command
}

func newGenerator(seed uint64) *generator {
	return &generator{r: rand.New(rand.NewPCG(seed, seed^0x5eed)), cal: domain.DefaultPolicy().Calendar}
}

// actor is who submits a command.
type actor struct{ id, role string }

// add appends a command dated at, unless it falls after the data set's end. The idempotency key
// is derived from the provider and key, so a later run submits the very same command.
func (g *generator) add(at time.Time, provider string, by actor, typ, key string, fields map[string]any) {
	if at.After(End) {
		return
	}
	cmd := map[string]any{
		"type": typ, "provider": provider, "idempotency_key": "demo-" + provider + "-" + key,
		"actor":       map[string]string{"staff_id": by.id, "role": by.role},
		"occurred_at": at.In(domain.Anchorage).Format(time.RFC3339),
	}
	for k, v := range fields {
		cmd[k] = v
	}
	raw, err := json.Marshal(cmd)
	if err != nil {
		panic(fmt.Sprintf("demo command %s: %v", typ, err))
	}
	g.steps = append(g.steps, Command{At: at, OccurredAt: at, JSON: raw, provider: provider, typ: typ})
}

// at returns a business-hours instant on a date.
func (g *generator) at(d domain.Date) time.Time {
	minutes := 8*60 + 30 + g.r.IntN(8*60)
	return time.Date(d.Year, d.Month, d.Day, minutes/60, minutes%60, 0, 0, domain.Anchorage)
}

// businessDay returns the n-th business day after d (n >= 1), or d itself when n is 0 and d is
// a business day.
func (g *generator) businessDay(d domain.Date, n int) domain.Date {
	if n == 0 {
		if g.cal.IsBusinessDay(d) {
			return d
		}
		n = 1
	}
	return g.cal.AddBusinessDays(d, n)
}

// firstBusinessDay returns the month's first business day.
func (g *generator) firstBusinessDay(m domain.Month) domain.Date {
	return g.businessDay(m.First(), 0)
}

// later returns an instant n business days after t, in business hours.
func (g *generator) later(t time.Time, n int) time.Time {
	return g.at(g.cal.AddBusinessDays(domain.DateOf(t), n))
}

// chance reports true with probability p.
func (g *generator) chance(p float64) bool { return g.r.Float64() < p }

// between returns a whole number in [lo, hi].
func (g *generator) between(lo, hi int) int { return lo + g.r.IntN(hi-lo+1) }

// clientNumber returns a made-up eight-digit client number.
func (g *generator) clientNumber() string { return fmt.Sprintf("%08d", 10000000+g.r.IntN(89999999)) }

func (g *generator) name() string {
	return firstNames[g.r.IntN(len(firstNames))] + " " + lastNames[g.r.IntN(len(lastNames))]
}

func pick[T any](g *generator, list []T) T { return list[g.r.IntN(len(list))] }
