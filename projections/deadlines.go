package projections

import (
	"fmt"
	"io"
	"time"

	"github.com/wsledger/wsledger/domain"
)

// Deadlines is the obligations of a provider and where they stand at an instant, ordered by due
// instant and then id: all of them, or one page of those a DeadlineQuery selects. Status depends
// on the instant: the same obligation is open, due soon and then overdue as time passes.
type Deadlines struct {
	Provider string       `json:"provider"`
	At       time.Time    `json:"at"`
	Counts   StatusCounts `json:"counts"` // every obligation, whatever the page and filter
	// Matched counts the obligations the filter selects, on every page.
	Matched int        `json:"matched"`
	Items   []Deadline `json:"items"`
	// Next is where the next page starts (DeadlineQuery.After); empty on the last page.
	Next string `json:"next,omitempty"`
}

// StatusCounts counts obligations by status. WaitingForDPA is left out of the JSON while 0.
type StatusCounts struct {
	Open          int `json:"open"`
	DueSoon       int `json:"due_soon"`
	Overdue       int `json:"overdue"`
	MetOnTime     int `json:"met_on_time"`
	MetLate       int `json:"met_late"`
	WaitingForDPA int `json:"waiting_for_dpa,omitempty"`
}

// add counts one obligation of status s, as domain.AgendaCounts does: the two differ only in
// their JSON names.
func (c *StatusCounts) add(s domain.Status) { (*domain.AgendaCounts)(c).Add(s) }

// Deadline is one obligation (see domain.Obligation) with its status at the view's instant.
type Deadline struct {
	ID       string        `json:"id"`
	Kind     string        `json:"kind"`
	Subject  string        `json:"subject"`
	Owner    string        `json:"owner,omitempty"`
	Source   string        `json:"source"`
	OpenedAt time.Time     `json:"opened_at"`
	Due      time.Time     `json:"due"`
	MetAt    time.Time     `json:"met_at,omitzero"` // when what met it happened: Status is judged on it
	Status   domain.Status `json:"status"`
	// LateSeconds is how late the obligation was met, or is at the view's instant while unmet;
	// Late says the same for people ("2d 3h").
	LateSeconds int64  `json:"late_seconds"`
	Late        string `json:"late,omitempty"`
	// Required and Done count the files of a monthly file review.
	Required int    `json:"required,omitempty"`
	Done     int    `json:"done,omitempty"`
	Note     string `json:"note,omitempty"`
	// Warning says what is amiss (a report DPA has not sent when expected); Remarks are for the
	// manager on what the duty answers (a participant list's selection against the manual's rule).
	Warning string   `json:"warning,omitempty"`
	Remarks []string `json:"remarks,omitempty"`
	// RecordedAt, EnteredLate and EntryLagBusinessDays, on a met obligation, say when the ledger
	// recorded what met it (MetAt is when it happened), whether that was a late entry and how
	// many business days after it happened (domain.Policy.EntryLag).
	RecordedAt           time.Time      `json:"recorded_at,omitzero"`
	EnteredLate          Optional[bool] `json:"entered_late,omitzero"`
	EntryLagBusinessDays Optional[int]  `json:"entry_lag_business_days,omitzero"`
}

func newDeadline(o domain.Obligation, now time.Time, p domain.Policy) Deadline {
	return deadlineOf(o, now, o.Status(now, p), p)
}

// deadlineOf is newDeadline with the obligation's status at now already known.
func deadlineOf(o domain.Obligation, now time.Time, status domain.Status, p domain.Policy) Deadline {
	late := o.Late(now)
	d := Deadline{
		ID: o.ID, Kind: o.Kind, Subject: o.Subject, Owner: o.Owner, Source: o.Source,
		OpenedAt: o.OpenedAt.UTC(), Due: o.Due.UTC(), MetAt: utc(o.MetAt), Status: status,
		LateSeconds: int64(late / time.Second), Late: humanDuration(late),
		Required: o.Required, Done: o.Done, Note: o.Note, Warning: o.Warning, Remarks: o.Remarks,
	}
	if !o.MetAt.IsZero() {
		lag, entered := p.EntryLag(o.MetAt, o.MetRecordedAt)
		d.RecordedAt, d.EnteredLate, d.EntryLagBusinessDays = utc(o.MetRecordedAt), Some(entered), Some(lag)
	}
	return d
}

// enteredLate reports whether what met o was a late entry.
func enteredLate(o *domain.Obligation, p domain.Policy) bool {
	if o.MetAt.IsZero() {
		return false
	}
	_, late := p.EntryLag(o.MetAt, o.MetRecordedAt)
	return late
}

func (m *model) deadlines(ob obligationsAt) Deadlines {
	d := Deadlines{Provider: m.st.Provider, At: ob.now.UTC(), Items: make([]Deadline, 0, ob.a.Total())}
	ob.a.Walk(domain.PartAll, nil, func(o *domain.Obligation, s domain.Status) bool {
		d.Counts.add(s)
		d.Items = append(d.Items, deadlineOf(*o, ob.now, s, m.policy))
		return true
	})
	d.Matched = len(d.Items)
	return d
}

// WriteText renders the deadlines as a table, times in Alaska.
func (d Deadlines) WriteText(w io.Writer) error {
	c := d.Counts
	t := &table{
		title: fmt.Sprintf("Deadlines of %s at %s: %d overdue, %d due soon, %d open, %d met on time, %d met late%s",
			d.Provider, localTime(d.At), c.Overdue, c.DueSoon, c.Open, c.MetOnTime, c.MetLate, waitingText(c.WaitingForDPA)),
		head: []string{"DUE", "STATUS", "LATE", "KIND", "SUBJECT", "OWNER", "MET", "RECORDED"},
	}
	for _, i := range d.Items {
		subject := i.Subject
		if i.Required > 0 {
			subject += fmt.Sprintf(" (%d/%d files)", i.Done, i.Required)
		}
		recorded := localTime(i.RecordedAt)
		if i.EnteredLate.Value {
			recorded += fmt.Sprintf(" (late entry, %d business days)", i.EntryLagBusinessDays.Value)
		}
		t.add(localDue(i.Due), string(i.Status), orDash(i.Late), i.Kind, subject, orDash(i.Owner), localTime(i.MetAt), recorded)
	}
	return t.write(w)
}

func waitingText(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(", %d waiting for DPA", n)
}

// utc returns t in UTC, keeping the zero time zero.
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC()
}
