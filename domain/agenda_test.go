package domain_test

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
)

// TestAgendaAgreesWithTheBook plays random command sequences (every kind of command, some
// entered late, some refused) and checks, after every event and at random instants before,
// between and after the events, that the agenda kept by applying them one by one holds exactly
// the obligations Book.ObligationsHolding derives from scratch, with the same statuses, and that
// its counts, parts, walks and lists agree with them.
func TestAgendaAgreesWithTheBook(t *testing.T) {
	seeds := 4
	if testing.Short() {
		seeds = 1
	}
	for seed := range seeds {
		t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) {
			g := newRandomLedger(t, uint64(seed))
			b := domain.NewBook(testProvider, g.l.policy)
			a := domain.NewAgenda(b)
			applied, checks := 0, 0
			// What the agenda shows under one version and count overdue (AttentionStamp's
			// promise): the obligations with their statuses, which must be the same each time.
			shown := map[[2]uint64]string{}
			for g.l.now.Before(g.end) {
				for _, e := range g.step() {
					if err := b.Apply(e); err != nil {
						t.Fatal(err)
					}
					payload, err := events.Decode(e)
					if err != nil {
						t.Fatal(err)
					}
					a.Applied(payload)
					applied++
					for _, at := range g.probes(e) {
						checkAgenda(t, b, a, at, fmt.Sprintf("after event %d (%s)", applied, e.Type))
						checks++
						var list strings.Builder
						a.Walk(domain.PartAll, nil, func(o *domain.Obligation, s domain.Status) bool {
							fmt.Fprintf(&list, "%+v %s\n", *o, s)
							return true
						})
						key := [2]uint64{a.Version(), uint64(a.Counts().Overdue)}
						if before, ok := shown[key]; ok && before != list.String() {
							t.Fatalf("at %v, after event %d: version %d with %d overdue shows other obligations than before", at, applied, key[0], key[1])
						}
						shown[key] = list.String()
					}
				}
			}
			for typ, n := range g.accepted {
				t.Logf("%4d %s", n, typ)
			}
			for _, typ := range events.Catalogue.Types() {
				if g.accepted[typ] == 0 && typ != events.TypeAccessDenied && typ != events.TypeHistoryRecovered {
					t.Errorf("no %s was played: the random commands do not cover it", typ)
				}
			}
			t.Logf("%d events, %d checks", applied, checks)
		})
	}
}

// checkAgenda moves the agenda to at and compares it with the book's derivation there.
func checkAgenda(t *testing.T, b *domain.Book, a *domain.Agenda, at time.Time, what string) {
	t.Helper()
	a.MoveTo(at)
	want, since, until := b.ObligationsHolding(at)
	got := a.List()
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("at %v, %s: %s", at.In(domain.Anchorage), what, fmt.Sprintf(format, args...))
	}
	if len(got) != len(want) {
		fail("%d obligations, the book derives %d:\n%s", len(got), len(want), diffIDs(got, want))
	}
	p := b.Policy()
	var counts domain.AgendaCounts
	byPart := map[domain.AgendaPart][]string{}
	for i := range want {
		if !got[i].Equal(&want[i]) {
			fail("%sobligation %d is\n%+v\nthe book derives\n%+v", diffIDs(got, want), i, got[i], want[i])
		}
		s := want[i].Status(at, p)
		if gs := a.Status(&got[i]); gs != s {
			fail("%s is %s, the book says %s", want[i].ID, gs, s)
		}
		counts.Add(s)
		for part := domain.PartUnmet; part <= domain.PartAll; part++ {
			if part.Holds(s) {
				byPart[part] = append(byPart[part], want[i].ID)
			}
		}
	}
	if c := a.Counts(); c != counts {
		fail("counts %+v, want %+v", c, counts)
	}
	rng := rand.New(rand.NewPCG(uint64(at.UnixNano()), 3))
	for part := domain.PartUnmet; part <= domain.PartAll; part++ {
		ids := byPart[part]
		if n := a.Len(part); n != len(ids) {
			fail("part %d holds %d, want %d", part, n, len(ids))
		}
		var after *domain.Obligation
		from := 0
		if len(want) > 0 && rng.IntN(2) == 0 {
			after = &want[rng.IntN(len(want))]
			from = len(ids)
			for k, id := range ids {
				if o, _ := a.Get(id); domain.ByDue(o, after) > 0 {
					from = k
					break
				}
			}
		}
		var walked []string
		a.Walk(part, after, func(o *domain.Obligation, s domain.Status) bool {
			if !part.Holds(s) {
				fail("part %d walks %s, which is %s", part, o.ID, s)
			}
			walked = append(walked, o.ID)
			return true
		})
		if !slices.Equal(walked, ids[from:]) {
			fail("part %d walked %v, want %v", part, walked, ids[from:])
		}
	}
	week := at.Add(7 * 24 * time.Hour)
	dueWeek, kinds := 0, map[string][2]int{}
	var calls []domain.Obligation
	var corrections []string
	for _, o := range want {
		s := o.Status(at, p)
		if !domain.PartUnmet.Holds(s) {
			continue
		}
		if o.Due.Before(week) {
			dueWeek++
		}
		k := kinds[o.Kind]
		k[0]++
		if s == domain.StatusOverdue {
			k[1]++
		}
		kinds[o.Kind] = k
		switch o.Kind {
		case domain.ObligationCallReturn:
			calls = append(calls, o)
		case domain.ObligationCorrection:
			corrections = append(corrections, o.ID)
		}
	}
	if n := a.DueBefore(week); n != dueWeek {
		fail("%d due within the week, want %d", n, dueWeek)
	}
	for _, kind := range []string{domain.ObligationCorrection, domain.ObligationCallReturn, domain.ObligationWSTANotice, domain.ObligationFileReview} {
		if n, overdue := a.Unmet(kind); n != kinds[kind][0] || overdue != kinds[kind][1] {
			fail("%s: %d unmet, %d overdue; want %v", kind, n, overdue, kinds[kind])
		}
	}
	slices.SortFunc(calls, func(x, y domain.Obligation) int {
		return cmp.Or(x.OpenedAt.Compare(y.OpenedAt), cmp.Compare(x.Subject, y.Subject))
	})
	var gotCalls, wantCalls []string
	for _, o := range calls {
		wantCalls = append(wantCalls, o.ID)
	}
	a.UnmetCalls(func(o *domain.Obligation) bool { gotCalls = append(gotCalls, o.ID); return true })
	if !slices.Equal(gotCalls, wantCalls) {
		fail("unmet calls %v, want %v", gotCalls, wantCalls)
	}
	order := map[string]int{}
	for i, id := range domain.StateOf(b).FindingOrder() {
		order[domain.ObligationCorrection+":"+id] = i
	}
	slices.SortFunc(corrections, func(x, y string) int { return cmp.Compare(order[x], order[y]) })
	var gotCorrections []string
	a.UnmetCorrections(func(o *domain.Obligation) bool { gotCorrections = append(gotCorrections, o.ID); return true })
	if !slices.Equal(gotCorrections, corrections) {
		fail("unmet corrections %v, want %v", gotCorrections, corrections)
	}
	received := domain.StateOf(b).ConcernsReceivedBy(at)
	if n := a.ConcernsReceived(); n != received {
		fail("%d concerns received, want %d", n, received)
	}
	// What the agenda says holds from since until until does: the book derives the same
	// obligations and statuses at since, at a point between and at the last instant before until.
	s, u := a.Holding()
	if s.After(at) || !u.After(at) {
		fail("holds from %v until %v", s, u)
	}
	for _, probe := range [][]time.Time{{s}, {s.Add(u.Sub(s) / 3)}, {u.Add(-time.Nanosecond)}}[rng.IntN(3)] {
		list := b.Obligations(probe)
		if !slices.EqualFunc(list, got, func(x, y domain.Obligation) bool { return x.Equal(&y) }) {
			fail("holds from %v until %v, but at %v the book derives other obligations:\n%s", s, u, probe, diffIDs(got, list))
		}
		for i := range list {
			if list[i].Status(probe, p) != a.Status(&got[i]) {
				fail("holds from %v until %v, but at %v %s is %s", s, u, probe, list[i].ID, list[i].Status(probe, p))
			}
		}
	}
	_, _ = since, until
}

func diffIDs(got, want []domain.Obligation) string {
	ids := func(list []domain.Obligation) map[string]bool {
		m := map[string]bool{}
		for _, o := range list {
			m[o.ID] = true
		}
		return m
	}
	g, w := ids(got), ids(want)
	var b strings.Builder
	for id := range g {
		if !w[id] {
			fmt.Fprintf(&b, "  only the agenda: %s\n", id)
		}
	}
	for id := range w {
		if !g[id] {
			fmt.Fprintf(&b, "  only the book: %s\n", id)
		}
	}
	return b.String()
}

// randomLedger decides random commands of every kind over five months, the clock moving a few
// hours at a time; a fifth of them are entered late (occurred_at days before the clock).
type randomLedger struct {
	l        *testLedger
	rng      *rand.Rand
	end      time.Time
	last     time.Time // the clock of the previous step
	n        int       // ids made
	ids      map[string][]string
	accepted map[string]int
}

func newRandomLedger(t *testing.T, seed uint64) *randomLedger {
	start := mustTime("2026-01-05T09:00:00")
	g := &randomLedger{
		l: newTestLedger(t, start), rng: rand.New(rand.NewPCG(seed, 11)), end: mustTime("2026-06-10T09:00:00"),
		ids: map[string][]string{}, accepted: map[string]int{},
	}
	g.last = start
	return g
}

// pick returns one of the ids made of a kind, or a new one when there is none.
func (g *randomLedger) pick(kind string) string {
	if ids := g.ids[kind]; len(ids) > 0 {
		return ids[g.rng.IntN(len(ids))]
	}
	return g.fresh(kind)
}

func (g *randomLedger) fresh(kind string) string {
	g.n++
	id := fmt.Sprintf("%s%d", kind, g.n)
	g.ids[kind] = append(g.ids[kind], id)
	return id
}

// month returns the clock's month or, at random, the one before.
func (g *randomLedger) month() domain.Month {
	m := domain.DateOf(g.l.now).MonthOf()
	if g.rng.IntN(3) == 0 {
		m = m.Prev()
	}
	return m
}

// step moves the clock and decides one random command, returning the events it yielded (none
// when it was refused).
func (g *randomLedger) step() []events.Envelope {
	l := g.l
	g.last = l.now
	l.now = l.now.Add(time.Duration(g.rng.IntN(10*60)+1) * time.Minute)
	if len(l.events) == 0 {
		return g.try(admin("RegisterProvider", `"name":"N","region":"r"`))
	}
	occurred := ""
	if g.rng.IntN(5) == 0 {
		occurred = `,"occurred_at":"` + l.now.Add(-time.Duration(g.rng.IntN(9*24*60))*time.Minute).Format(time.RFC3339) + `"`
	}
	client := `"client_number":"` + testClientNumber + `"`
	q := func(k string) string { return `"` + k + `"` }
	m := g.month().String()
	var c string
	switch g.rng.IntN(27) {
	case 0:
		c = cm("ReceiveClientCall", `"concern_id":`+q(g.fresh("K"))+`,`+client+`,"summary":"s"`)
	case 1:
		ch := []string{"phone", "voicemail", "written", "email", "in_person", "wsta_referral"}[g.rng.IntN(6)]
		c = cm("ReceiveConcern", `"concern_id":`+q(g.fresh("K"))+`,`+client+`,"summary":"s","channel":"`+ch+`"`)
	case 2, 3:
		c = cm("ReturnClientCall", `"concern_id":`+q(g.pick("K")))
	case 4:
		c = cm("ResolveConcern", `"concern_id":`+q(g.pick("K"))+`,"clno_date":"`+domain.DateOf(l.now).String()+`","summary":"s","level":"case_manager"`)
	case 5:
		c = admin("RecordWSTANoticeDelivered", `"concern_id":`+q(g.pick("K"))+`,"message_id":"<m@x>","to":"wsta@example.gov"`)
	case 6:
		c = cm("DeclareConcernUnresolved", `"concern_id":`+q(g.pick("K"))+`,"reason":"r"`)
	case 7:
		c = cm("ForwardConcernToWSTA", `"concern_id":`+q(g.pick("K"))+`,"reason":"r"`)
	case 8:
		concern := g.pick("K")
		if g.rng.IntN(3) == 0 {
			concern = g.fresh("K")
		}
		c = cm("ReceiveWSTARecommendation", `"concern_id":`+q(concern)+`,"recommendation_id":`+q(g.fresh("REC"))+`,"recommendations":["r"]`)
	case 9:
		c = cm("ImplementWSTARecommendation", `"recommendation_id":`+q(g.pick("REC")))
	case 10:
		c = cm("DiscloseEmergency", `"emergency_id":`+q(g.fresh("E"))+`,`+client+`,"track":"work_first"`)
	case 11:
		c = cm("SeeEmergencyClient", `"emergency_id":`+q(g.pick("E")))
	case 12:
		c = cm("LearnCircumstanceChange", `"change_id":`+q(g.fresh("X"))+`,`+client+`,"description":"d"`)
	case 13:
		c = cm("ReportCircumstanceChange", `"change_id":`+q(g.pick("X")))
	case 14, 15:
		negative := g.rng.IntN(2) == 0
		c = pm("RecordFileReview", `"review_id":`+q(g.fresh("R"))+`,"month":"`+m+`","case_id":"C`+fmt.Sprint(g.rng.IntN(6)+1)+
			`","reviewer_id":"pm1","findings":[{"finding_id":`+q(g.fresh("F"))+`,"category":"work_activity","negative":`+fmt.Sprint(negative)+`}]`)
	case 16:
		f := g.pick("F")
		if ids := l.state.FindingOrder(); len(ids) > 0 {
			f = ids[g.rng.IntN(len(ids))]
		}
		c = cm("CompleteCorrection", `"finding_id":`+q(f)+`,"note":"n"`)
	case 17:
		var cases []string
		for i := range g.rng.IntN(14) {
			cases = append(cases, fmt.Sprintf(`{"case_id":"C%d","family_type":"all_family","case_manager_id":"cm%d"}`, i+1, i%2+1))
		}
		c = pm("ReportCaseload", `"month":"`+m+`","cases":[`+strings.Join(cases, ",")+`]`)
	case 18:
		c = pm("SubmitStaffRoster", `"month":"`+m+`","staff":[{"staff_id":"pm1","name":"P","role":"program_manager"},`+
			`{"staff_id":"cm1","name":"C","role":"case_manager"},{"staff_id":"cm2","name":"D","role":"case_manager"}]`)
	case 19:
		qr := domain.DateOf(l.now).MonthOf()
		c = pm("ReceiveWSQRFindings", `"wsqr_id":`+q(g.fresh("W"))+`,"period":"`+domain.QuarterOf(qr.Prev().Prev().Prev())+`","response_due":"`+
			domain.DateOf(l.now).AddDays(g.rng.IntN(20)+1).String()+`","findings":[{"finding_id":`+q(g.fresh("F"))+`,"category":"cms","negative":true}],`+
			`"work_verification":{"correct":`+fmt.Sprint(70+g.rng.IntN(30))+`,"reviewed":100}`)
	case 20:
		w := g.pick("W")
		var plans []string
		for _, f := range l.state.WSQRNegative(w) {
			plans = append(plans, `{"finding_id":`+q(f)+`,"plan":"p"}`)
		}
		c = pm("SubmitWSQRResponse", `"wsqr_id":`+q(w)+`,"plans":[`+strings.Join(plans, ",")+`],"best_practice":"b"`)
	case 21:
		state := []string{"started", "ceased"}[g.rng.IntN(2)]
		c = command("ConfirmPerformanceConfirmation", "wsta", "ws1", `"state":"`+state+`"`)
	case 22:
		if g.rng.IntN(2) == 0 {
			c = pm("ReceiveDPAReport", `"report_id":`+q(g.fresh("D"))+`,"kind":"participant_list","period":"`+m+`","selected_cases":["C1"]`)
		} else {
			c = pm("ReceiveDPAReport", `"report_id":`+q(g.fresh("D"))+`,"kind":"inconsistent_data","period":"`+m+
				`","distributed_on":"`+domain.DateOf(l.now).AddDays(-g.rng.IntN(3)).String()+`"`)
		}
	case 23:
		c = pm("RespondToDPAReport", `"report_id":`+q(g.pick("D"))+`,"items":[{"case_id":"C1","action":"confirmed"}]`)
	case 24:
		last := domain.DateOf(l.now).MonthOf().Prev().String() // a month's measures follow its end
		c = pm("PostPerformanceMeasures", `"period":"`+last+`","measures":[{"measure":"m1","numerator":1,"denominator":2}]`)
	case 25:
		switch g.rng.IntN(3) {
		case 0:
			c = pm("SubmitReport", `"kind":"performance_invoice","period":"`+m+`","documents":[{"name":"i.pdf"}]`)
		case 1:
			c = pm("SubmitReport", `"kind":"qcip","period":"`+domain.QuarterOf(domain.DateOf(l.now).MonthOf().Prev().Prev().Prev())+`","documents":[{"name":"q.pdf"}]`)
		default:
			c = pm("SubmitReport", `"kind":"data_grievance","period":"`+m+`","documents":[{"name":"g.pdf"}]`)
		}
	case 26:
		if g.rng.IntN(8) != 0 {
			c = pm("DrawFileReviewSample", `"month":"`+m+`","seed":"s`+fmt.Sprint(g.n)+`"`)
			break
		}
		p := domain.DefaultPolicy()
		p.ChangeReportBusinessDays = 2 + g.rng.IntN(6)
		p.WSTANoticeBusinessDays = 1 + g.rng.IntN(3)
		p.DueSoonBusinessDays = 1 + g.rng.IntN(4)
		c = admin("RecordPolicySettings", `"settings":`+string(mustJSON(g.l.t, p.Settings())))
	}
	return g.try(c[:len(c)-1] + occurred + "}")
}

func (g *randomLedger) try(c string) []events.Envelope {
	out, err := g.l.try(c)
	if err != nil {
		return nil
	}
	for _, e := range out {
		g.accepted[e.Type]++
	}
	return out
}

// probes returns the instants to check after an event: the clock and a random instant since the
// last step; every third event also the event's own occurred_at and instants some days back and
// ahead, and once in a while instants months away.
func (g *randomLedger) probes(e events.Envelope) []time.Time {
	now, r := g.l.now, g.rng
	span := func(d time.Duration) time.Duration { return time.Duration(r.Int64N(int64(d))) }
	out := []time.Time{now, g.last.Add(span(now.Sub(g.last) + 1))}
	if r.IntN(3) == 0 {
		out = append(out, e.OccurredAt, now.Add(-span(10*24*time.Hour)), now.Add(span(10*24*time.Hour)), now)
	}
	if r.IntN(30) == 0 {
		out = append(out, now.Add(-span(150*24*time.Hour)), now.Add(span(90*24*time.Hour)), now)
	}
	return out
}
