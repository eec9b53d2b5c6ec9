package projections

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
)

// Concerns is a provider's client concerns at an instant (due diligence E): which are open and for
// how long, whether each call was returned within one business day, which were forwarded to WSTA,
// whether WSTA was told of each resolution, and WSTA's recommendations on their 24-hour clock.
// Client numbers are never shown.
type Concerns struct {
	Provider        string                 `json:"provider"`
	At              time.Time              `json:"at"`
	Summary         ConcernSummary         `json:"summary"`
	Items           []ConcernStatus        `json:"items"`
	Recommendations []RecommendationStatus `json:"recommendations"`
}

// ConcernSummary counts concerns. Ageing counts the open ones by business days open.
type ConcernSummary struct {
	Received         int         `json:"received"`
	Open             int         `json:"open"`
	Resolved         int         `json:"resolved"`
	Forwarded        int         `json:"forwarded"`
	AwaitingCallback int         `json:"awaiting_callback"`
	CallbacksOnTime  int         `json:"callbacks_on_time"`
	CallbacksLate    int         `json:"callbacks_late"` // returned late, or not returned and overdue
	Ageing           []AgeBucket `json:"ageing"`
}

// AgeBucket counts open concerns whose age in business days lies in a range.
type AgeBucket struct {
	BusinessDays string `json:"business_days"`
	Count        int    `json:"count"`
}

// Callback answers of ConcernStatus.Callback.
const (
	CallbackYes         = "yes"          // returned within one business day
	CallbackNo          = "no"           // returned late, or not returned in time
	CallbackPending     = "pending"      // not returned, not yet due
	CallbackNotRequired = "not_required" // the concern did not come by a call or voicemail
)

// ConcernStatus is one concern. State is "open", "forwarded" (to WSTA, not resolved) or "resolved".
// Channel is how it reached the provider: phone, voicemail, written, email, in_person or
// wsta_referral; only phone and voicemail have a callback.
type ConcernStatus struct {
	ConcernID       string    `json:"concern_id"`
	Owner           string    `json:"owner"`
	Channel         string    `json:"channel"`
	ReceivedAt      time.Time `json:"received_at"`
	State           string    `json:"state"`
	AgeBusinessDays int       `json:"age_business_days"` // until resolution, or the view's instant
	CallbackDue     time.Time `json:"callback_due,omitzero"`
	ReturnedAt      time.Time `json:"returned_at,omitzero"`
	Callback        string    `json:"callback"`
	ResolvedAt      time.Time `json:"resolved_at,omitzero"`
	CLNODate        string    `json:"clno_date,omitempty"`
	Level           string    `json:"level,omitempty"`
	// WSTANotice is the status of telling WSTA of the resolution (E.2, E.5), when resolved, and
	// WSTANoticeDelivery how: "emailed" (WSTA's mail server accepted WSTANoticeMessageID at
	// WSTANoticeAcceptedAt), "awaiting_email", or "recorded" (resolved before the ledger
	// e-mailed WSTA: the notice counts as given when the ledger recorded it).
	WSTANotice           domain.Status `json:"wsta_notice,omitempty"`
	WSTANoticeDelivery   string        `json:"wsta_notice_delivery,omitempty"`
	WSTANoticeMessageID  string        `json:"wsta_notice_message_id,omitempty"`
	WSTANoticeAcceptedAt time.Time     `json:"wsta_notice_accepted_at,omitzero"`
	DeclaredUnresolvedAt time.Time     `json:"declared_unresolved_at,omitzero"`
	ForwardedAt          time.Time     `json:"forwarded_at,omitzero"`
	// Forward is the status of forwarding to WSTA once declared unresolved (E.3).
	Forward domain.Status `json:"forward,omitempty"`
}

// RecommendationStatus is one set of WSTA recommendations and its 24-hour clock (E.4).
type RecommendationStatus struct {
	RecommendationID string        `json:"recommendation_id"`
	ConcernID        string        `json:"concern_id"`
	Owner            string        `json:"owner"`
	Recommendations  int           `json:"recommendations"`
	ReceivedAt       time.Time     `json:"received_at"`
	Due              time.Time     `json:"due"`
	ImplementedAt    time.Time     `json:"implemented_at,omitzero"`
	Status           domain.Status `json:"status"`
	LateSeconds      int64         `json:"late_seconds"`
	Late             string        `json:"late,omitempty"`
}

// Delivery states of a WSTA notice (ConcernStatus.WSTANoticeDelivery).
const (
	NoticeEmailed       = "emailed"        // WSTA's mail server accepted the e-mail
	NoticeAwaitingEmail = "awaiting_email" // not yet accepted
	NoticeRecorded      = "recorded"       // resolved before the ledger e-mailed WSTA
)

// Concern states.
const (
	ConcernOpen      = "open"
	ConcernForwarded = "forwarded"
	ConcernResolved  = "resolved"
)

var ageBuckets = []struct {
	label    string
	min, max int
}{{"0-1", 0, 1}, {"2-5", 2, 5}, {"6-10", 6, 10}, {"over 10", 11, 1 << 30}}

func (m *model) concerns(ob obligationsAt) Concerns {
	now := ob.now
	c := Concerns{Provider: m.st.Provider, At: now.UTC(), Items: []ConcernStatus{}, Recommendations: []RecommendationStatus{}}
	ageing := make([]int, len(ageBuckets))
	for id, k := range m.st.Concerns {
		if k.ReceivedAt.After(now) {
			continue
		}
		item := m.concernStatus(id, k, ob)
		c.Items = append(c.Items, item)
		c.Summary.add(item)
		if item.State != ConcernResolved {
			for i, b := range ageBuckets {
				if item.AgeBusinessDays >= b.min && item.AgeBusinessDays <= b.max {
					ageing[i]++
				}
			}
		}
	}
	for i, b := range ageBuckets {
		c.Summary.Ageing = append(c.Summary.Ageing, AgeBucket{BusinessDays: b.label, Count: ageing[i]})
	}
	slices.SortFunc(c.Items, func(a, b ConcernStatus) int {
		return cmp.Or(a.ReceivedAt.Compare(b.ReceivedAt), cmp.Compare(a.ConcernID, b.ConcernID))
	})
	for id, r := range m.st.Recommendations {
		if o, ok := ob.get(domain.ObligationRecommendation + ":" + id); ok {
			d := newDeadline(o, now, m.policy)
			c.Recommendations = append(c.Recommendations, RecommendationStatus{
				RecommendationID: id, ConcernID: r.ConcernID, Owner: d.Owner, Recommendations: r.Items,
				ReceivedAt: d.OpenedAt, Due: d.Due, ImplementedAt: d.MetAt, Status: d.Status, LateSeconds: d.LateSeconds, Late: d.Late,
			})
		}
	}
	slices.SortFunc(c.Recommendations, func(a, b RecommendationStatus) int {
		return cmp.Or(a.ReceivedAt.Compare(b.ReceivedAt), cmp.Compare(a.RecommendationID, b.RecommendationID))
	})
	return c
}

// concernStatus is where one concern stands at ob's instant, from the obligations the book derives
// for it; what happened after that instant does not count.
func (m *model) concernStatus(id string, k concern, ob obligationsAt) ConcernStatus {
	now := ob.now
	received := k.ReceivedAt.Time()
	s := ConcernStatus{ConcernID: id, Owner: m.text(k.Owner), Channel: m.text(k.Channel), ReceivedAt: received, State: ConcernOpen,
		Callback: CallbackNotRequired}
	if call, ok := ob.get(domain.ObligationCallReturn + ":" + id); ok {
		s.CallbackDue, s.ReturnedAt = call.Due.UTC(), utc(call.MetAt)
		switch call.Status(now, m.policy) {
		case domain.StatusMetOnTime:
			s.Callback = CallbackYes
		case domain.StatusMetLate, domain.StatusOverdue:
			s.Callback = CallbackNo
		default:
			s.Callback = CallbackPending
		}
	}
	end := now
	if o, ok := ob.get(domain.ObligationWSTANotice + ":" + id); ok { // resolved by now
		s.State, s.ResolvedAt, s.CLNODate, s.Level, end = ConcernResolved, o.OpenedAt.UTC(), m.text(k.CLNODate), m.text(k.Level), o.OpenedAt
		s.WSTANotice = o.Status(now, m.policy)
		s.WSTANoticeDelivery = NoticeRecorded
		if m.text(k.Notice) == events.NoticeEmail {
			s.WSTANoticeDelivery = NoticeAwaitingEmail
			if !k.AcceptedAt.IsZero() && !k.AcceptedAt.After(now) {
				s.WSTANoticeDelivery, s.WSTANoticeMessageID, s.WSTANoticeAcceptedAt = NoticeEmailed, k.MessageID, k.AcceptedAt.Time()
			}
		}
	}
	if o, ok := ob.get(domain.ObligationConcernForward + ":" + id); ok { // declared unresolved by now
		s.DeclaredUnresolvedAt = o.OpenedAt.UTC()
		s.Forward = o.Status(now, m.policy)
	}
	if !k.ForwardedAt.IsZero() && !k.ForwardedAt.After(now) {
		s.ForwardedAt = k.ForwardedAt.Time()
		if s.State == ConcernOpen {
			s.State = ConcernForwarded
		}
	}
	s.AgeBusinessDays = businessDaysBetween(m.policy.Calendar, received, end)
	return s
}

func (s *ConcernSummary) add(c ConcernStatus) {
	s.Received++
	switch c.State {
	case ConcernResolved:
		s.Resolved++
	default:
		s.Open++
	}
	if !c.ForwardedAt.IsZero() {
		s.Forwarded++
	}
	switch {
	case c.Callback == CallbackYes:
		s.CallbacksOnTime++
	case c.Callback == CallbackNo:
		s.CallbacksLate++
	}
	if c.AwaitingCallback() {
		s.AwaitingCallback++
	}
}

// AwaitingCallback reports whether the concern is waiting for the provider to return the
// client's call: it came by a call or voicemail (the only channels with a callback duty) and
// the call has not been returned. ConcernSummary.AwaitingCallback counts these.
func (c ConcernStatus) AwaitingCallback() bool {
	return c.Callback != CallbackNotRequired && c.ReturnedAt.IsZero()
}

// businessDaysBetween counts the business days after from's Alaska date up to and including to's.
func businessDaysBetween(c *domain.Calendar, from, to time.Time) int {
	n := 0
	for d, end := domain.DateOf(from).AddDays(1), domain.DateOf(to); !end.Before(d); d = d.AddDays(1) {
		if c.IsBusinessDay(d) {
			n++
		}
	}
	return n
}

// WriteText renders the concerns and the recommendations.
func (c Concerns) WriteText(w io.Writer) error {
	s := c.Summary
	items := &table{
		title: fmt.Sprintf("Client concerns of %s at %s: %d received, %d open, %d awaiting a callback, callbacks within one business day %d yes / %d no, %d forwarded",
			c.Provider, localTime(c.At), s.Received, s.Open, s.AwaitingCallback, s.CallbacksOnTime, s.CallbacksLate, s.Forwarded),
		head: []string{"CONCERN", "OWNER", "CHANNEL", "RECEIVED", "STATE", "AGE (BUS. DAYS)", "CALLBACK IN 1 BUS. DAY", "RESOLVED", "LEVEL", "WSTA NOTICE", "DELIVERY", "FORWARDED", "FORWARD"},
	}
	for _, k := range c.Items {
		items.add(k.ConcernID, k.Owner, k.Channel, localTime(k.ReceivedAt), k.State, itoa(k.AgeBusinessDays), k.Callback,
			localTime(k.ResolvedAt), orDash(k.Level), orDash(string(k.WSTANotice)), orDash(k.WSTANoticeDelivery), localTime(k.ForwardedAt), orDash(string(k.Forward)))
	}
	ageing := &table{title: "Open concerns by age", head: []string{"BUSINESS DAYS", "OPEN"}}
	for _, b := range s.Ageing {
		ageing.add(b.BusinessDays, itoa(b.Count))
	}
	recs := &table{title: "WSTA recommendations (due diligence E.4: implemented within 24 hours)", head: []string{"RECOMMENDATION", "CONCERN", "OWNER", "RECEIVED", "DUE", "IMPLEMENTED", "STATUS", "LATE"}}
	for _, r := range c.Recommendations {
		recs.add(r.RecommendationID, r.ConcernID, r.Owner, localTime(r.ReceivedAt), localDue(r.Due), localTime(r.ImplementedAt), string(r.Status), orDash(r.Late))
	}
	return writeTables(w, items, ageing, recs)
}
