package demo

import (
	"hash/fnv"
	"slices"
	"time"

	"github.com/wsledger/wsledger/domain"
)

// Entry delays of the simulated recorded clock.
const (
	// lateEntryOneIn is how rare a deliberate late entry is among the commands that may be one.
	lateEntryOneIn = 45
	// lateEntryBusinessDays bound how late a deliberate late entry is entered.
	lateEntryMinBusinessDays, lateEntryMaxBusinessDays = 6, 15
)

// lateEntryTypes are the commands a deliberate late entry may be: each closes a duty and no
// later command of the data set depends on it, so entering it weeks late changes no decision.
var lateEntryTypes = []string{"ReturnClientCall", "SeeEmergencyClient", "ReportCircumstanceChange", "CompleteCorrection"}

// simulateRecording gives every command the instant staff enter it, so that the demo's
// recorded_at follows its occurred_at as a real ledger's would: most within the hour, some at the
// end of the working day, some the next business morning, and a few, deliberately, weeks late.
// A provider's commands are entered in the order they happened, none before the one before it,
// so every decision is the one made on occurred_at's order; a deliberate late entry is entered
// apart. Nothing is entered after end: what would be is entered at end, so that the data set
// holds the same work whatever its end. Delays are drawn from a hash of each command's JSON,
// not from the generator's random source, so that the data set itself is unchanged; since the
// JSON holds dates, which commands are entered weeks late varies with the end (9 to 14 of them).
func simulateRecording(cal *domain.Calendar, steps []Command, end time.Time) []Command {
	last := map[string]time.Time{} // by provider: when its last command in order was entered
	for i := range steps {
		c := &steps[i]
		h := fnv.New64a()
		h.Write(c.JSON)
		n := h.Sum64()
		if slices.Contains(lateEntryTypes, c.typ) && n%lateEntryOneIn == 0 {
			days := lateEntryMinBusinessDays + int(n/lateEntryOneIn%uint64(lateEntryMaxBusinessDays-lateEntryMinBusinessDays+1))
			d := cal.AddBusinessDays(domain.DateOf(c.OccurredAt), days)
			c.At = time.Date(d.Year, d.Month, d.Day, 9, 0, 0, 0, domain.Anchorage).Add(time.Duration(n%480) * time.Minute)
		} else {
			c.At = latest(c.OccurredAt.Add(entryDelay(cal, c.OccurredAt, n)), last[c.provider])
			last[c.provider] = c.At
		}
		if c.At.After(end) {
			c.At = latest(end, c.OccurredAt)
		}
	}
	slices.SortStableFunc(steps, func(a, b Command) int { return a.At.Compare(b.At) })
	return steps
}

// entryDelay is how long after it happened a command is entered: within the hour (most), at the
// end of the working day, or the next business morning, none of them a late entry.
func entryDelay(cal *domain.Calendar, occurred time.Time, n uint64) time.Duration {
	switch n % 10 {
	case 0: // the next business morning
		d := cal.AddBusinessDays(domain.DateOf(occurred), 1)
		return time.Date(d.Year, d.Month, d.Day, 8, 15, 0, 0, domain.Anchorage).Add(time.Duration(n/10%90) * time.Minute).Sub(occurred)
	case 1, 2: // the end of the working day
		d := domain.DateOf(occurred)
		end := time.Date(d.Year, d.Month, d.Day, 17, 0, 0, 0, domain.Anchorage).Add(time.Duration(n/10%45) * time.Minute)
		if end.After(occurred) {
			return end.Sub(occurred)
		}
	}
	return time.Duration(2+n/10%58) * time.Minute
}
