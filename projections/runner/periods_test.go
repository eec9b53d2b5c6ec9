package runner_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/wsledger/wsledger/projections/runner"
)

// periodTally is a tally whose periods are tens of a provider's events. It notes the events a
// provider had when a period was first named, at the save that keeps that period's copy.
type periodTally struct {
	*tally
	first map[string]uint64 // provider/period -> events
}

func (p periodTally) Period(provider string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := p.providers[provider]
	if c == nil {
		return ""
	}
	period := fmt.Sprint(c.Events / 10)
	if _, ok := p.first[provider+"/"+period]; !ok {
		p.first[provider+"/"+period] = c.Events
	}
	return period
}

// TestPeriodsKeepTheirSavedState: a PeriodTarget's states are kept one per period, each holding
// a state of its period that later snapshots do not replace, beside the latest state; a runner of
// another version finds none of them.
func TestPeriodsKeepTheirSavedState(t *testing.T) {
	log, l := ledger(t)
	playAll(t, l)
	last := lastSeq(t, log)
	target := periodTally{newTally(), map[string]uint64{}}
	r := runner.New(log, log.JetStream(), target, runner.Options{Name: "tally", Version: 1, Every: 3})
	run := start(r)
	waitFor(t, r, last)
	if err := run.stop(); err != nil {
		t.Fatal(err)
	}
	read := func(r *runner.Runner, provider, period string) *count {
		t.Helper()
		for data, err := range r.Saved(t.Context(), provider, period) {
			if err != nil {
				t.Fatal(err)
			}
			var c count
			if err := json.Unmarshal(data, &c); err != nil {
				t.Fatal(err)
			}
			return &c
		}
		return nil
	}
	want := reference(t, log)
	for provider, final := range want {
		if latest := read(r, provider, ""); latest == nil || *latest != final {
			t.Errorf("%s: the latest saved state is %+v, want %+v", provider, latest, final)
		}
		kept := 0
		for period := uint64(0); period <= final.Events/10; period++ {
			c := read(r, provider, fmt.Sprint(period))
			if c == nil {
				continue
			}
			kept++
			if first := target.first[fmt.Sprint(provider, "/", period)]; c.Events != first {
				t.Errorf("%s: the state kept for period %d holds %d events, not the %d of the first save in it", provider, period, c.Events, first)
			}
		}
		if kept < int(final.Events/10)/2 {
			t.Errorf("%s: %d periods kept of %d", provider, kept, final.Events/10+1)
		}
		t.Logf("%s: %d events, %d periods kept", provider, final.Events, kept)
	}
	other := runner.New(log, log.JetStream(), periodTally{newTally(), map[string]uint64{}}, runner.Options{Name: "tally", Version: 2})
	for provider := range want {
		if c := read(other, provider, "1"); c != nil {
			t.Errorf("%s: a runner of another version read a kept state %+v", provider, c)
		}
	}
}

// paddedPeriods is a periodTally whose period names sort in time order, as KeepPeriods needs.
type paddedPeriods struct{ periodTally }

func (p paddedPeriods) Period(provider string) string {
	if period := p.periodTally.Period(provider); period != "" {
		var n int
		fmt.Sscan(period, &n)
		return fmt.Sprintf("%04d", n)
	}
	return ""
}

// TestKeepPeriodsPrunesOldCopies: with KeepPeriods set, each provider keeps the copies of its
// last KeepPeriods periods only, and its latest state.
func TestKeepPeriodsPrunesOldCopies(t *testing.T) {
	log, l := ledger(t)
	playAll(t, l)
	last := lastSeq(t, log)
	const keep = 3
	target := paddedPeriods{periodTally{newTally(), map[string]uint64{}}}
	r := runner.New(log, log.JetStream(), target, runner.Options{Name: "tally", Version: 1, Every: 3, KeepPeriods: keep})
	run := start(r)
	waitFor(t, r, last)
	if err := run.stop(); err != nil {
		t.Fatal(err)
	}
	pruned := false // some provider had more periods than it keeps
	for provider, final := range reference(t, log) {
		var named, kept []string
		for period := uint64(0); period <= final.Events/10; period++ {
			name := fmt.Sprintf("%04d", period)
			if _, ok := target.first[fmt.Sprint(provider, "/", period)]; ok {
				named = append(named, name)
			}
			for _, err := range r.Saved(t.Context(), provider, name) {
				if err != nil {
					t.Fatal(err)
				}
				kept = append(kept, name)
			}
		}
		pruned = pruned || len(named) > keep
		if want := named[max(0, len(named)-keep):]; fmt.Sprint(kept) != fmt.Sprint(want) {
			t.Errorf("%s: copies kept for periods %v, want the last %d of %v", provider, kept, keep, named)
		}
		var latest int
		for _, err := range r.Saved(t.Context(), provider, "") {
			if err != nil {
				t.Fatal(err)
			}
			latest++
		}
		if latest != 1 {
			t.Errorf("%s: the latest saved state is gone", provider)
		}
	}
	if !pruned {
		t.Fatalf("no provider had more than %d periods: nothing was pruned", keep)
	}
}
