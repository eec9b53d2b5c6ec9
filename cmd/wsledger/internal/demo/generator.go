package demo

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"time"

	"github.com/wsledger/wsledger/domain"
)

// generator builds the data set's commands. Each provider's set-up, month and quarter draws from
// a random stream of its own, named by its place in the year (not by its calendar month), so that
// the year holds the same work whatever day it ends on.
type generator struct {
	r *rand.Rand
	// cal is the calendar of the settings the data set records (demoSettings), its closures
	// included, so that work placed n business days after another is n business days after it
	// by the deadlines too.
	cal *domain.Calendar
	// end is the data set's last instant; endDate its day and current its month.
	end     time.Time
	endDate domain.Date
	current domain.Month
	// window is the days on which the current month's work is done: its business days up to
	// endDate, or endDate alone when the month has had none yet.
	window []domain.Date
	steps  []Command
}

func newGenerator(end time.Time) *generator {
	g := &generator{cal: domain.PolicyOf(demoSettings).Calendar, end: end, endDate: domain.DateOf(end)}
	g.current = g.endDate.MonthOf()
	for d := g.current.First(); !g.endDate.Before(d); d = d.AddDays(1) {
		if g.cal.IsBusinessDay(d) {
			g.window = append(g.window, d)
		}
	}
	if len(g.window) == 0 {
		g.window = []domain.Date{g.endDate}
	}
	return g
}

// stream makes the random source of one part of a provider's year.
func (g *generator) stream(provider, part string) {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s/%s", provider, part)
	g.r = rand.New(rand.NewPCG(Seed, h.Sum64()))
}

// actor is who submits a command.
type actor struct{ id, role string }

// add appends a command dated at. The idempotency key is derived from the provider and key, so a
// later run submits the very same command. Commands dated after the end are brought back before
// it by settle.
func (g *generator) add(at time.Time, provider string, by actor, typ, key string, fields map[string]any) {
	cmd := map[string]any{
		"type": typ, "provider": provider, "idempotency_key": "demo-" + provider + "-" + key,
		"actor": map[string]string{"staff_id": by.id, "role": by.role},
	}
	for k, v := range fields {
		cmd[k] = v
	}
	g.steps = append(g.steps, Command{At: at, fields: cmd, provider: provider, typ: typ})
}

// at returns a business-hours instant on the day a piece of work starts: d, or a day of the
// window when d lies after the end.
func (g *generator) at(d domain.Date) time.Time { return g.timeOn(g.day(d)) }

// timeOn returns a business-hours instant on d.
func (g *generator) timeOn(d domain.Date) time.Time {
	minutes := 8*60 + 30 + g.r.IntN(8*60)
	return time.Date(d.Year, d.Month, d.Day, minutes/60, minutes%60, 0, 0, domain.Anchorage)
}

// day returns the day on which work planned for d starts: d itself up to the end's day; after
// it, a day of the window, so that the current month's work is done by the end however far into
// the month the end falls. The n-th business day of the month maps to the window's day n modulo
// its length.
func (g *generator) day(d domain.Date) domain.Date {
	if !g.endDate.Before(d) {
		return d
	}
	n := g.cal.BusinessDaysBetween(g.current.First().AddDays(-1), d)
	return g.window[(max(n, 1)-1)%len(g.window)]
}

// clock returns an instant on d at a fixed time of day.
func clock(d domain.Date, hour, minute int) time.Time {
	return time.Date(d.Year, d.Month, d.Day, hour, minute, 0, 0, domain.Anchorage)
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

// later returns an instant n business days after t, in business hours. It is a step of work
// already started, so it is not moved into the window: settle brings it before the end.
func (g *generator) later(t time.Time, n int) time.Time {
	return g.timeOn(g.cal.AddBusinessDays(domain.DateOf(t), n))
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

// settle dates every command and encodes it. Commands planned after the end (the last steps of
// work that started near it) are brought before it, spread in the order they were planned after
// every other command and within its last half hour, so that the data set holds all of its work
// whatever the end: such work is always done on time (see year.recent), and done sooner is
// still on time.
func (g *generator) settle() []Command {
	sortByTime(g.steps)
	from, late := g.end.Add(-30*time.Minute), 0
	for _, c := range g.steps {
		if c.At.After(g.end.Add(-time.Minute)) {
			late++
		} else {
			from = latest(from, c.At)
		}
	}
	step := g.end.Sub(from) / time.Duration(late+1)
	k := 0
	for i := range g.steps {
		c := &g.steps[i]
		if c.At.After(g.end.Add(-time.Minute)) {
			k++
			c.At = from.Add(time.Duration(k) * step).Truncate(time.Second)
			if _, ok := c.fields["clno_date"]; ok { // the CLNO entry is made the day of the resolution
				c.fields["clno_date"] = domain.DateOf(c.At).String()
			}
		}
		c.fields["occurred_at"] = c.At.In(domain.Anchorage).Format(time.RFC3339Nano)
		raw, err := json.Marshal(c.fields)
		if err != nil {
			panic(fmt.Sprintf("demo command %v: %v", c.fields["type"], err))
		}
		c.JSON, c.fields, c.OccurredAt = raw, nil, c.At
	}
	return g.steps
}
