package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/auth"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/checkpoints"
	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
)

// eventData is the page of one event: the envelope as the ledger stores it, its payload, both
// clocks, its hashes and what checking them found.
type eventData struct {
	E       events.Envelope
	Payload string // indented JSON
	Subject string // the NATS subject it is stored under
	// HashOK is set when the hash recomputed from the event's content is the one it carries.
	Recomputed string
	HashOK     bool
	// Chain is the provider's chain as the read models checked it, event by event, as they
	// applied it: intact through this event, or broken at or before it.
	ChainIntact bool
	ChainBreak  *events.Tamper
	AuditLink   string // the audit trail on the event's day
	// Evidence is the event's inclusion proof and the checkpoint with its cosignatures; nil when
	// the dashboard has no proofs to give.
	Evidence *eventEvidence
}

// eventEvidence is an event's inclusion proof in its provider's latest signed checkpoint, or why
// there is none yet.
type eventEvidence struct {
	Proof      checkpoints.InclusionProof
	Checkpoint checkpoints.Info
	Pending    string // why no proof is given (the event is newer than the latest checkpoint)
}

// event serves /events/{id}: one event, whichever provider's history holds it, for those who may
// read that history (the audit trail's rule). Links from the dashboard add ?provider=&seq= so
// that the event is read at once; without them every history the principal may read is searched.
// An event the principal may not read, or none with that id, is the 404 page: the answer says
// nothing about other providers.
func (d *Dashboard) event(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	id := r.PathValue("id")
	if _, err := uuid.Parse(id); err != nil {
		d.notFound(w, r, p)
		return
	}
	q := r.URL.Query()
	if hint := q.Get("provider"); hint != "" && !canAudit(p, hint) {
		d.forbidden(w, r, p, hint)
		return
	}
	seq, _ := strconv.ParseUint(q.Get("seq"), 10, 64)
	e, found, err := d.findEvent(r.Context(), p, id, q.Get("provider"), seq)
	if err != nil {
		d.serverError(w, r, p, err)
		return
	}
	if !found {
		d.notFound(w, r, p)
		return
	}
	data := eventData{E: e, Subject: e.Subject(), AuditLink: auditOnDay(e)}
	var pretty bytes.Buffer
	if json.Indent(&pretty, e.Payload, "", "  ") == nil {
		data.Payload = pretty.String()
	} else {
		data.Payload = string(e.Payload)
	}
	data.Recomputed, _ = events.ComputeHash(&e)
	data.HashOK = data.Recomputed == e.Hash
	if o, err := d.cfg.Views.Overview(e.Provider, d.cfg.Now()); err == nil {
		data.ChainBreak = o.Break
		data.ChainIntact = o.Break == nil || o.Break.Sequence > e.Sequence
	}
	if d.cfg.Proofs != nil {
		data.Evidence = &eventEvidence{}
		proof, cp, err := d.cfg.Proofs(r.Context(), e.ID)
		if err != nil {
			data.Evidence.Pending = err.Error()
			var e *events.Error
			if errors.As(err, &e) {
				data.Evidence.Pending = e.Message
			}
		}
		data.Evidence.Proof, data.Evidence.Checkpoint = proof, cp
	}
	d.render(w, r, http.StatusOK, "event", page{
		Title: e.Type + " " + shortHash(e.ID), User: &p, Nav: providerTabs(p, e.Provider, "", viewpoint{}), At: d.cfg.Now(), Data: data,
	})
}

// auditOnDay is the audit trail of the event's provider on the day it was recorded.
func auditOnDay(e events.Envelope) string {
	day := e.RecordedAt.In(domain.Anchorage).Format(time.DateOnly)
	return "/providers/" + e.Provider + "/audit?" + url.Values{"from": {day}, "to": {day}}.Encode()
}

// findEvent returns the event with id from the histories p may read: at sequence seq of the
// provider named when both are given and right, else by reading the provider's history (or
// every readable one's).
func (d *Dashboard) findEvent(ctx context.Context, p auth.Principal, id, provider string, seq uint64) (events.Envelope, bool, error) {
	providers := []string{provider}
	if provider == "" {
		providers = nil
		for _, pr := range d.cfg.Views.Providers() {
			if canAudit(p, pr) {
				providers = append(providers, pr)
			}
		}
	}
	log := d.cfg.Log
	for _, pr := range providers {
		if events.CheckProvider(pr) != nil {
			continue
		}
		if seq > 0 {
			for e, err := range log.Read(ctx, events.ReadOptions{Provider: pr, From: seq}) {
				if err != nil {
					return events.Envelope{}, false, err
				}
				if e.ID == id {
					return e, true, nil
				}
				break
			}
		}
		for e, err := range log.Read(ctx, events.ReadOptions{Provider: pr}) {
			if err != nil {
				return events.Envelope{}, false, err
			}
			if e.ID == id {
				return e, true, nil
			}
		}
	}
	return events.Envelope{}, false, nil
}

// eventLink is the address of an event's page, with the hints that find it at once.
func eventLink(e events.Envelope) string {
	return "/events/" + e.ID + "?" + url.Values{"provider": {e.Provider}, "seq": {strconv.FormatUint(e.Sequence, 10)}}.Encode()
}

// record serves /providers/{provider}/record?subject=S&at=T (or &from=T): it finds the event of
// the provider's history that made or met an obligation (or a concern's step) about S, dated at
// T (on either clock), or the first dated at or after T, and sends the browser to its page. The
// dashboard's deadlines and concerns link their rows through it, so that finding the event costs
// a read of the history only when someone follows the link.
func (d *Dashboard) record(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	provider, q := r.PathValue("provider"), r.URL.Query()
	subject := q.Get("subject")
	exact, errAt := time.Parse(time.RFC3339Nano, q.Get("at"))
	from, errFrom := time.Parse(time.RFC3339Nano, q.Get("from"))
	if subject == "" || (errAt != nil && errFrom != nil) {
		http.Error(w, "A record link needs subject and at (or from), an RFC 3339 instant.", http.StatusBadRequest)
		return
	}
	quoted, _ := json.Marshal(subject)
	for e, err := range d.cfg.Log.Read(r.Context(), events.ReadOptions{Provider: provider}) {
		if err != nil {
			d.serverError(w, r, p, err)
			return
		}
		dated := errAt == nil && (e.OccurredAt.Equal(exact) || e.RecordedAt.Equal(exact))
		after := errAt != nil && !e.OccurredAt.Before(from)
		if (dated || after) && bytes.Contains(e.Payload, quoted) {
			http.Redirect(w, r, eventLink(e), http.StatusSeeOther)
			return
		}
	}
	d.render(w, r, http.StatusNotFound, "problem", page{
		Title: "No such record", User: &p, Nav: providerTabs(p, provider, "", viewpoint{}), Data: problem{
			Heading: "No such record",
			Message: "No event of " + provider + " about " + subject + " is dated at that instant. The audit trail lists every event.",
			Home:    "/providers/" + provider + "/audit",
		},
	})
}

// recordAt is the address that finds the event of the provider's history about subject dated at
// t (on either clock); recordFrom the first one dated at or after t. Empty for a zero t.
func recordAt(provider, subject string, t time.Time) string {
	return recordLink(provider, subject, "at", t)
}

func recordFrom(provider, subject string, t time.Time) string {
	return recordLink(provider, subject, "from", t)
}

func recordLink(provider, subject, param string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return "/providers/" + provider + "/record?" + url.Values{"subject": {subject}, param: {t.UTC().Format(time.RFC3339Nano)}}.Encode()
}

// calendarKinds are the obligations the calendar opens (a month, a quarter), not an event.
var calendarKinds = map[string]bool{
	domain.ObligationFileReview: true, domain.ObligationStaffRoster: true,
	domain.ObligationPerformanceInvoice: true, domain.ObligationQCIP: true,
}

// links sets the row's links to the events that opened and met its obligation, for a viewer who
// may open them.
func (row *deadlineRow) links(provider string, canOpen bool) {
	if !canOpen {
		return
	}
	if !calendarKinds[row.Kind] {
		row.OpenLink = recordFrom(provider, row.Subject, row.OpenedAt)
	}
	row.MetLink = recordAt(provider, row.Subject, row.MetAt)
}
