package projections

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
)

// Overview is the headline numbers of one provider at an instant, for the dashboard.
type Overview struct {
	Provider       string    `json:"provider"`
	Name           string    `json:"name"`
	Region         string    `json:"region"`
	At             time.Time `json:"at"`
	Events         uint64    `json:"events"` // events applied to the views
	LastRecordedAt time.Time `json:"last_recorded_at,omitzero"`
	// Intact is false once an event did not extend the provider's hash chain; Break names the
	// first such event (run wsledger verify for the full report).
	Intact bool           `json:"intact"`
	Break  *events.Tamper `json:"break,omitempty"`
	// Overdue counts unmet obligations past due; DueThisWeek unmet ones due within seven days.
	Overdue            int                `json:"overdue"`
	DueThisWeek        int                `json:"due_this_week"`
	Coverage           CoverageSummary    `json:"coverage"` // the month of At, in Alaska
	OpenCorrections    int                `json:"open_corrections"`
	OverdueCorrections int                `json:"overdue_corrections"`
	OpenConcerns       int                `json:"open_concerns"`
	AwaitingCallback   int                `json:"awaiting_callback"`
	Confirmation       ConfirmationStatus `json:"confirmation"`
	// LateEntries counts the events recorded in the month of At (in Alaska) that were entered
	// late: at or after the end of the business day after they happened.
	LateEntries int `json:"late_entries"`
	// NoticesAwaitingEmail counts resolved concerns whose e-mail to WSTA its mail server has not
	// accepted; WSTAEmail says whether the server e-mails WSTA at all (WSTAEmailSetUp or
	// WSTAEmailNotSetUp; absent where no server said, as in a command-line replay).
	NoticesAwaitingEmail int    `json:"notices_awaiting_email"`
	WSTAEmail            string `json:"wsta_email,omitempty"`
}

// States of Overview.WSTAEmail.
const (
	WSTAEmailSetUp    = "set_up"
	WSTAEmailNotSetUp = "not_set_up"
)

// CoverageSummary is one month's file-review coverage in short. Reported is false while no
// caseload has been reported for the month; Unreviewed names the case managers none of whose
// files has been reviewed.
type CoverageSummary struct {
	Month      string   `json:"month"`
	Reported   bool     `json:"reported"`
	Caseload   int      `json:"caseload"`
	Required   int      `json:"required"`
	Reviewed   int      `json:"reviewed"`
	Remaining  int      `json:"remaining"`
	Met        bool     `json:"met"`
	Unreviewed []string `json:"unreviewed,omitempty"`
}

// dueThisWeek is how far ahead Overview.DueThisWeek looks.
const dueThisWeek = 7 * 24 * time.Hour

// overview is the provider's overview at now.
func (m *model) overview(now time.Time) Overview {
	return withObligations(m, now, m.overviewAt)
}

// overviewAt is the provider's overview at ob's instant: all but the count due within the week
// is the same for as long as the agenda's version holds, and computed once.
func (m *model) overviewAt(ob obligationsAt) Overview {
	k, a := &m.kept, ob.a
	if k.version != a.Version() || k.version == 0 {
		k.overview, k.version = m.computeOverview(ob), a.Version()
	}
	o := k.overview
	o.At = ob.now.UTC()
	o.DueThisWeek = a.DueBefore(ob.now.Add(dueThisWeek)) - o.Overdue
	return o
}

// computeOverview is the overview at ob's instant, but for DueThisWeek. Its counts are the
// agenda's: the unmet corrections (overdue included), the WSTA notices not yet e-mailed, the
// calls not returned, and the concerns received and not resolved (those with no WSTA notice duty
// yet).
func (m *model) computeOverview(ob obligationsAt) Overview {
	now, c, a := ob.now, m.st.Chain, ob.a
	o := Overview{
		Provider: m.st.Provider, Name: m.st.Name, Region: m.st.Region, At: now.UTC(),
		Events: c.Events, LastRecordedAt: c.LastRecorded, Intact: c.Break == nil, Break: c.Break,
		Confirmation: m.accuracy().Status, Overdue: a.Counts().Overdue,
	}
	month := domain.DateOf(now).MonthOf().String()
	fc := m.st.Book.FileReviewCoverage(month, now)
	o.Coverage = CoverageSummary{Month: month, Reported: fc.Reported, Caseload: fc.Caseload, Required: fc.Required,
		Reviewed: fc.Reviewed, Remaining: fc.Remaining(), Met: fc.Met, Unreviewed: fc.Unreviewed()}
	o.OpenCorrections, o.OverdueCorrections = a.Unmet(domain.ObligationCorrection)
	o.AwaitingCallback, _ = a.Unmet(domain.ObligationCallReturn)
	o.OpenConcerns = a.ConcernsReceived() - a.OfKind(domain.ObligationWSTANotice)
	o.LateEntries = m.st.LateEntries[month]
	o.NoticesAwaitingEmail, _ = a.Unmet(domain.ObligationWSTANotice)
	return o
}

// WriteText renders the overview as a list of headline numbers.
func (o Overview) WriteText(w io.Writer) error {
	t := &table{title: fmt.Sprintf("%s (%s, %s) at %s", o.Name, o.Provider, o.Region, localTime(o.At)), head: []string{"WHAT", "VALUE"}}
	for _, r := range o.lines() {
		t.add(r[0], r[1])
	}
	return t.write(w)
}

func (o Overview) lines() [][2]string {
	integrity := "intact"
	if !o.Intact {
		integrity = fmt.Sprintf("BROKEN at sequence %d (%s)", o.Break.Sequence, o.Break.Kind)
	}
	c := o.Coverage
	return [][2]string{
		{"events", fmt.Sprint(o.Events)},
		{"last recorded", localTime(o.LastRecordedAt)},
		{"hash chain", integrity},
		{"overdue obligations", itoa(o.Overdue)},
		{"due within seven days", itoa(o.DueThisWeek)},
		{"file reviews " + c.Month, c.line()},
		{"open corrections", fmt.Sprintf("%d (%d overdue)", o.OpenCorrections, o.OverdueCorrections)},
		{"open concerns", itoa(o.OpenConcerns)},
		{"concerns awaiting a callback", itoa(o.AwaitingCallback)},
		{"performance confirmation", fmt.Sprintf("computed %s, WSTA %s, %s", required(o.Confirmation.Computed), orDash(o.Confirmation.WSTA), agreement(o.Confirmation.Agrees))},
		{"late entries " + c.Month, itoa(o.LateEntries)},
		{"WSTA notices awaiting e-mail", o.emailLine()},
	}
}

// emailLine says how many notices wait for e-mail and, when the server said, whether it sends any.
func (o Overview) emailLine() string {
	switch o.WSTAEmail {
	case WSTAEmailNotSetUp:
		return itoa(o.NoticesAwaitingEmail) + "; e-mail to WSTA is not set up (serve --smtp), so notices stay open"
	case WSTAEmailSetUp:
		return itoa(o.NoticesAwaitingEmail) + "; e-mail to WSTA is set up"
	}
	return itoa(o.NoticesAwaitingEmail)
}

// line says where the month's file reviews stand for people.
func (c CoverageSummary) line() string {
	if !c.Reported {
		return "no caseload reported"
	}
	s := fmt.Sprintf("%d of %d required (caseload %d, %d remaining)", c.Reviewed, c.Required, c.Caseload, c.Remaining)
	if len(c.Unreviewed) > 0 {
		s += "; no file reviewed of " + strings.Join(c.Unreviewed, ", ")
	}
	return s
}

// Statewide is every provider's overview at an instant, their totals and the state's performance
// measures.
type Statewide struct {
	At        time.Time       `json:"at"`
	Totals    StatewideTotals `json:"totals"`
	Providers []Overview      `json:"providers"`
	Measures  Measures        `json:"measures"`
}

// StatewideTotals adds up the providers' headline numbers.
type StatewideTotals struct {
	Providers          int `json:"providers"`
	Overdue            int `json:"overdue"`
	DueThisWeek        int `json:"due_this_week"`
	OpenCorrections    int `json:"open_corrections"`
	OverdueCorrections int `json:"overdue_corrections"`
	OpenConcerns       int `json:"open_concerns"`
	AwaitingCallback   int `json:"awaiting_callback"`
	LateEntries        int `json:"late_entries"`
	UnderConfirmation  int `json:"under_confirmation"` // computed
	Disagreements      int `json:"disagreements"`      // computed status and WSTA's differ
	NotIntact          int `json:"not_intact"`
}

func (t *StatewideTotals) add(o Overview) {
	t.Providers++
	t.Overdue += o.Overdue
	t.DueThisWeek += o.DueThisWeek
	t.OpenCorrections += o.OpenCorrections
	t.OverdueCorrections += o.OverdueCorrections
	t.OpenConcerns += o.OpenConcerns
	t.AwaitingCallback += o.AwaitingCallback
	t.LateEntries += o.LateEntries
	if o.Confirmation.Computed {
		t.UnderConfirmation++
	}
	if !o.Confirmation.Agrees {
		t.Disagreements++
	}
	if !o.Intact {
		t.NotIntact++
	}
}

// WriteText renders the providers side by side, then the totals and the state's measures.
func (s Statewide) WriteText(w io.Writer) error {
	t := &table{
		title: fmt.Sprintf("Statewide at %s: %d providers", localTime(s.At), s.Totals.Providers),
		head:  []string{"PROVIDER", "OVERDUE", "DUE 7 DAYS", "REVIEWS THIS MONTH", "OPEN CORRECTIONS", "OPEN CONCERNS", "AWAITING CALLBACK", "CONFIRMATION", "CHAIN"},
	}
	for _, o := range s.Providers {
		t.add(o.Provider, itoa(o.Overdue), itoa(o.DueThisWeek), fmt.Sprintf("%d/%d", o.Coverage.Reviewed, o.Coverage.Required),
			itoa(o.OpenCorrections), itoa(o.OpenConcerns), itoa(o.AwaitingCallback),
			required(o.Confirmation.Computed)+", "+agreement(o.Confirmation.Agrees), yesNo(o.Intact))
	}
	x := s.Totals
	t.add("total", itoa(x.Overdue), itoa(x.DueThisWeek), "", itoa(x.OpenCorrections), itoa(x.OpenConcerns), itoa(x.AwaitingCallback),
		fmt.Sprintf("%d required, %d disagree", x.UnderConfirmation, x.Disagreements), fmt.Sprintf("%d broken", x.NotIntact))
	if err := t.write(w); err != nil {
		return err
	}
	return s.Measures.WriteText(w)
}
