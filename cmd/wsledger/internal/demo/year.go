package demo

import (
	"fmt"
	"time"

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
}

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

func (g *generator) provider(p provider) {
	y := &year{g: g, p: p, pm: actor{ProgramManager(p.id), events.RoleProgramManager}}
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
	first := g.firstBusinessDay(FirstMonth)
	registered := time.Date(first.Year, first.Month, first.Day, 8, 0, 0, 0, domain.Anchorage)
	g.add(registered, p.id, admin, "RegisterProvider", "register", map[string]any{"name": p.name, "region": p.region})
	g.add(registered.Add(30*time.Minute), p.id, admin, "RecordPolicySettings", "settings", map[string]any{"settings": demoSettings})

	m := FirstMonth
	for i := range Months {
		y.month(i, m)
		m = m.Next()
	}
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

// month plays out one month: roster, caseload, the file review sample and reviews, client
// work, DPA's reports and the provider's own.
func (y *year) month(i int, m domain.Month) {
	g := y.g
	start := g.at(g.firstBusinessDay(m))
	if i > 0 {
		y.churn()
	}
	key := m.String()
	g.add(start, y.p.id, y.pm, "SubmitStaffRoster", "roster-"+key, map[string]any{"month": key, "staff": y.roster})
	cases := make([]map[string]any, len(y.cases))
	ids := make([]string, len(y.cases))
	for j, c := range y.cases {
		cases[j] = map[string]any{"case_id": c.id, "family_type": c.familyType, "case_manager_id": y.cms[c.manager].id}
		ids[j] = c.id
	}
	g.add(start.Add(20*time.Minute), y.p.id, y.pm, "ReportCaseload", "caseload-"+key, map[string]any{"month": key, "cases": cases})
	seed := "demo-" + y.p.id + "-" + key
	g.add(start.Add(40*time.Minute), y.p.id, y.pm, "DrawFileReviewSample", "sample-"+key, map[string]any{"month": key, "seed": seed})
	y.reviews(i, m, domain.DrawSample(seed, ids, domain.InternalReviewSampleSize(len(ids))))
	y.concerns(m)
	y.clientDuties(m)
	if i > 0 {
		y.dpaReports(m)
		y.monthlyReports(m)
	}
	y.quarterly(m)
}

func (y *year) caseByID(id string) caseRecord {
	for _, c := range y.cases {
		if c.id == id {
			return c
		}
	}
	panic("demo: unknown case " + id)
}
