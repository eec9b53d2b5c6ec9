package projections

import (
	"fmt"
	"io"
	"time"

	"github.com/wsledger/wsledger/domain"
)

// Deadlines is every obligation of a provider and where it stands at an instant, ordered by due
// instant and then id. Status depends on the instant: the same obligation is open, due soon and
// then overdue as time passes.
type Deadlines struct {
	Provider string       `json:"provider"`
	At       time.Time    `json:"at"`
	Counts   StatusCounts `json:"counts"`
	Items    []Deadline   `json:"items"`
}

// StatusCounts counts obligations by status.
type StatusCounts struct {
	Open      int `json:"open"`
	DueSoon   int `json:"due_soon"`
	Overdue   int `json:"overdue"`
	MetOnTime int `json:"met_on_time"`
	MetLate   int `json:"met_late"`
}

func (c *StatusCounts) add(s domain.Status) {
	switch s {
	case domain.StatusOpen:
		c.Open++
	case domain.StatusDueSoon:
		c.DueSoon++
	case domain.StatusOverdue:
		c.Overdue++
	case domain.StatusMetOnTime:
		c.MetOnTime++
	case domain.StatusMetLate:
		c.MetLate++
	}
}

// Deadline is one obligation (see domain.Obligation) with its status at the view's instant.
type Deadline struct {
	ID       string        `json:"id"`
	Kind     string        `json:"kind"`
	Subject  string        `json:"subject"`
	Owner    string        `json:"owner,omitempty"`
	Source   string        `json:"source"`
	OpenedAt time.Time     `json:"opened_at"`
	Due      time.Time     `json:"due"`
	MetAt    time.Time     `json:"met_at,omitzero"`
	Status   domain.Status `json:"status"`
	// LateSeconds is how late the obligation was met, or is at the view's instant while unmet;
	// Late says the same for people ("2d 3h").
	LateSeconds int64  `json:"late_seconds"`
	Late        string `json:"late,omitempty"`
	// Required and Done count the files of a monthly file review.
	Required int    `json:"required,omitempty"`
	Done     int    `json:"done,omitempty"`
	Note     string `json:"note,omitempty"`
}

func newDeadline(o domain.Obligation, now time.Time, p domain.Policy) Deadline {
	late := o.Late(now)
	return Deadline{
		ID: o.ID, Kind: o.Kind, Subject: o.Subject, Owner: o.Owner, Source: o.Source,
		OpenedAt: o.OpenedAt.UTC(), Due: o.Due.UTC(), MetAt: utc(o.MetAt), Status: o.Status(now, p),
		LateSeconds: int64(late / time.Second), Late: humanDuration(late),
		Required: o.Required, Done: o.Done, Note: o.Note,
	}
}

// obligationsAt is a provider's obligations at an instant, derived once for every view that
// needs them.
type obligationsAt struct {
	now  time.Time
	list []domain.Obligation // by due instant, then id
	byID map[string]domain.Obligation
}

func (m *model) obligationsAt(now time.Time) obligationsAt {
	ob := obligationsAt{now: now, list: m.st.Book.Obligations(now), byID: map[string]domain.Obligation{}}
	for _, o := range ob.list {
		ob.byID[o.ID] = o
	}
	return ob
}

func (m *model) deadlines(ob obligationsAt) Deadlines {
	d := Deadlines{Provider: m.st.Provider, At: ob.now.UTC(), Items: []Deadline{}}
	for _, o := range ob.list {
		item := newDeadline(o, ob.now, m.policy)
		d.Counts.add(item.Status)
		d.Items = append(d.Items, item)
	}
	return d
}

// WriteText renders the deadlines as a table, times in Alaska.
func (d Deadlines) WriteText(w io.Writer) error {
	c := d.Counts
	t := &table{
		title: fmt.Sprintf("Deadlines of %s at %s: %d overdue, %d due soon, %d open, %d met on time, %d met late",
			d.Provider, localTime(d.At), c.Overdue, c.DueSoon, c.Open, c.MetOnTime, c.MetLate),
		head: []string{"DUE", "STATUS", "LATE", "KIND", "SUBJECT", "OWNER", "MET"},
	}
	for _, i := range d.Items {
		subject := i.Subject
		if i.Required > 0 {
			subject += fmt.Sprintf(" (%d/%d files)", i.Done, i.Required)
		}
		t.add(localDue(i.Due), string(i.Status), orDash(i.Late), i.Kind, subject, orDash(i.Owner), localTime(i.MetAt))
	}
	return t.write(w)
}

// utc returns t in UTC, keeping the zero time zero.
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC()
}
