package demo

import (
	"fmt"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
)

// Demo staff who are not a provider's own.
var (
	admin = actor{"demo-admin", events.RoleAdmin}
	wsta  = actor{"wsta-analyst", events.RoleWSTA}
)

// year is one provider's year as the generator plays it out.
type year struct {
	g        *generator
	p        provider
	pm       actor
	sups     []actor
	cms      []actor
	roster   []map[string]any
	cases    []caseRecord
	nextCase int
	// sampled are each month's sampled cases, by month.
	sampled map[string][]caseRecord
	// recent is set while the generator plays one of the year's last months, whose work may
	// still be under way at the end: it is all done on time, and settle brings what would
	// follow the end before it, so that the work in hand at the end is only nowInHand's.
	recent bool
	// lingering is set in the two months before the recent ones, whose findings may still be
	// waiting for their correction at the end: so the oldest overdue work is months, not a
	// year, old.
	lingering bool
	// quarters counts the quarterly reviews played so far.
	quarters int
}

// recentFrom is the first month, counted from the year's first, that is recent: work started
// three months or more before the end's month is finished well before the end, however late.
const recentFrom = Months - 2

type caseRecord struct {
	id, familyType string
	manager        int // index into cms
}

// staffID returns a provider's staff id, e.g. kenai-cm2.
func staffID(provider, role string, n int) string {
	if n == 0 {
		return provider + "-" + role
	}
	return fmt.Sprintf("%s-%s%d", provider, role, n)
}

// ProgramManager returns the staff id of a demo provider's program manager.
func ProgramManager(provider string) string { return staffID(provider, "pm", 0) }

// provider plays out a provider's year: registered on the first business day of the month
// Months before the end's, then that month and every one after it up to the end's, then the
// work in hand at the end.
func (g *generator) provider(p provider) {
	g.stream(p.id, "setup")
	y := &year{g: g, p: p, pm: actor{ProgramManager(p.id), events.RoleProgramManager}, sampled: map[string][]caseRecord{}}
	y.roster = append(y.roster, map[string]any{"staff_id": y.pm.id, "name": g.name(), "role": events.RoleProgramManager})
	for i := 1; i <= 2; i++ {
		s := actor{staffID(p.id, "sup", i), events.RoleSupervisor}
		y.sups = append(y.sups, s)
		y.roster = append(y.roster, map[string]any{"staff_id": s.id, "name": g.name(), "role": s.role, "supervisor_id": y.pm.id})
	}
	for i := 1; i <= p.caseManagers; i++ {
		c := actor{staffID(p.id, "cm", i), events.RoleCaseManager}
		y.cms = append(y.cms, c)
		y.roster = append(y.roster, map[string]any{"staff_id": c.id, "name": g.name(), "role": c.role,
			"supervisor_id": y.sups[(i-1)%2].id})
	}
	for range p.caseload {
		y.addCase()
	}
	m := g.current
	for range Months {
		m = m.Prev()
	}
	g.add(clock(g.firstBusinessDay(m), 8, 0), p.id, admin, "RegisterProvider", "register", map[string]any{"name": p.name, "region": p.region})
	g.add(clock(g.firstBusinessDay(m), 8, 30), p.id, admin, "RecordPolicySettings", "settings", map[string]any{"settings": demoSettings})
	for i := 0; i <= Months; i++ {
		g.stream(p.id, fmt.Sprintf("month-%02d", i))
		y.recent, y.lingering = i >= recentFrom, i >= recentFrom-2 && i < recentFrom
		y.month(i, m)
		m = m.Next()
	}
	g.stream(p.id, "in-hand")
	y.nowInHand()
}

func (y *year) addCase() {
	y.nextCase++
	family := "all_family"
	if y.g.chance(0.15) {
		family = "two_parent"
	}
	y.cases = append(y.cases, caseRecord{id: fmt.Sprintf("K%05d", y.nextCase), familyType: family, manager: y.g.r.IntN(len(y.cms))})
}

// churn closes some cases and opens new ones, drifting the caseload within 40 to 160.
func (y *year) churn() {
	kept := y.cases[:0]
	for _, c := range y.cases {
		if !y.g.chance(0.06) {
			kept = append(kept, c)
		}
	}
	y.cases = kept
	target := max(40, min(160, y.p.caseload+y.g.between(-8, 8)))
	for len(y.cases) < target {
		y.addCase()
	}
}

// month plays out one month, the i-th of the year: roster, caseload, the file review sample and
// reviews, client work, DPA's reports and the provider's own.
func (y *year) month(i int, m domain.Month) {
	g := y.g
	first := g.day(g.firstBusinessDay(m))
	if i > 0 {
		y.churn()
	}
	key := m.String()
	g.add(clock(first, 8, 0), y.p.id, y.pm, "SubmitStaffRoster", "roster-"+key, map[string]any{"month": key, "staff": y.roster})
	cases := make([]map[string]any, len(y.cases))
	ids := make([]string, len(y.cases))
	for j, c := range y.cases {
		cases[j] = map[string]any{"case_id": c.id, "family_type": c.familyType, "case_manager_id": y.cms[c.manager].id}
		ids[j] = c.id
	}
	g.add(clock(first, 8, 20), y.p.id, y.pm, "ReportCaseload", "caseload-"+key, map[string]any{"month": key, "cases": cases})
	seed := fmt.Sprintf("demo-%s-month-%02d", y.p.id, i)
	g.add(clock(first, 8, 40), y.p.id, y.pm, "DrawFileReviewSample", "sample-"+key, map[string]any{"month": key, "seed": seed})
	sample := domain.DrawSample(seed, ids, domain.InternalReviewSampleSize(len(ids)))
	for _, id := range sample {
		y.sampled[key] = append(y.sampled[key], y.caseByID(id))
	}
	y.reviews(i, m, sample)
	y.concerns(m)
	y.clientDuties(m)
	if i > 0 {
		y.dpaReports(m)
		y.monthlyReports(m)
	}
	y.quarterly(i, m)
}

func (y *year) caseByID(id string) caseRecord {
	for _, c := range y.cases {
		if c.id == id {
			return c
		}
	}
	panic("demo: unknown case " + id)
}
