package domain

import (
	"cmp"

	"github.com/wsledger/wsledger/events"
)

func (c *ReceiveClientCall) decide(d *decision) (any, error) {
	if err := newConcern(d.s, c.ConcernID); err != nil {
		return nil, err
	}
	return events.ClientCallReceived{ConcernID: c.ConcernID, ClientNumber: c.ClientNumber, Summary: c.Summary}, nil
}

func (c *ReceiveConcern) decide(d *decision) (any, error) {
	if err := newConcern(d.s, c.ConcernID); err != nil {
		return nil, err
	}
	return events.ConcernReceived{ConcernID: c.ConcernID, ClientNumber: c.ClientNumber, Summary: c.Summary, Channel: c.Channel}, nil
}

// newConcern refuses a concern id already recorded, unless only WSTA's recommendations named it
// and nothing has happened to it since: the provider may then record the concern WSTA referred.
// Once resolved, declared unresolved or forwarded, a new record would erase that history.
func newConcern(s *State, id string) error {
	k := s.concerns[id]
	switch {
	case k == nil:
		return nil
	case !k.referred:
		return conflict("concern_id", "Concern %s has already been recorded.", id)
	case !k.resolved.IsZero():
		return conflict("concern_id", "Concern %s, which WSTA referred, has already been resolved; it cannot be recorded again.", id)
	case !k.unresolvedAt.IsZero():
		return conflict("concern_id", "Concern %s, which WSTA referred, has already been declared unresolved; it cannot be recorded again.", id)
	case !k.forwarded.IsZero():
		return conflict("concern_id", "Concern %s, which WSTA referred, has already been forwarded to WSTA; it cannot be recorded again.", id)
	}
	return nil
}

// openConcern returns a concern that exists and is not yet resolved.
func openConcern(s *State, id string) (*concernRecord, error) {
	k := s.concerns[id]
	switch {
	case k == nil:
		return nil, notFound("concern_id", "Concern %s is not known: no call, concern or WSTA referral opened it.", id)
	case !k.resolved.IsZero():
		return nil, conflict("concern_id", "Concern %s has already been resolved.", id)
	}
	return k, nil
}

// clientNumberOf returns the client number a notice to WSTA about a concern carries: the one
// recorded, or, for a concern WSTA referred without one, the one the command gives. A number
// that differs from the recorded one is refused without repeating either.
func clientNumberOf(k *concernRecord, id, given string) (string, error) {
	if given != "" && k.clientNumber != "" && given != k.clientNumber {
		return "", refuse("client_number", "client_number differs from the client number recorded for concern %s; leave it out or give the same.", id)
	}
	return cmp.Or(k.clientNumber, given), nil
}

func (c *ReturnClientCall) decide(d *decision) (any, error) {
	k := d.s.concerns[c.ConcernID]
	switch {
	case k == nil:
		return nil, notFound("concern_id", "Concern %s is not known: no client call opened it.", c.ConcernID)
	case !k.callback():
		return nil, refuse("concern_id", "Concern %s came by %s, not by a call or voicemail, so there is no call to return (due diligence E.1).", c.ConcernID, k.channel)
	case !k.returned.IsZero():
		return nil, conflict("concern_id", "The call that opened concern %s has already been returned.", c.ConcernID)
	}
	if err := notBefore(d, k.receivedAt, "the call of concern "+c.ConcernID+" was received"); err != nil {
		return nil, err
	}
	return events.ClientCallReturned{ConcernID: c.ConcernID}, nil
}

func (c *ResolveConcern) decide(d *decision) (any, error) {
	k, err := openConcern(d.s, c.ConcernID)
	if err != nil {
		return nil, err
	}
	if err := notBefore(d, k.receivedAt, "concern "+c.ConcernID+" was received"); err != nil {
		return nil, err
	}
	clno, _ := ParseDate(c.CLNODate)
	if clno.Before(DateOf(k.receivedAt)) {
		return nil, refuse("clno_date", "clno_date %s is before the concern was received on %s.", c.CLNODate, DateOf(k.receivedAt))
	}
	if DateOf(d.at).Before(clno) {
		return nil, refuse("clno_date", "clno_date %s is after the resolution's occurred_at; the CLNO entry documents a resolution already reached.", c.CLNODate)
	}
	client, err := clientNumberOf(k, c.ConcernID, c.ClientNumber)
	if err != nil {
		return nil, err
	}
	return events.ConcernResolved{
		ConcernID: c.ConcernID, ClientNumber: client, CLNODate: c.CLNODate, Summary: c.Summary, Level: c.Level,
		Notice: events.NoticeEmail,
	}, nil
}

func (c *RecordWSTANoticeDelivered) decide(d *decision) (any, error) {
	k := d.s.concerns[c.ConcernID]
	switch {
	case k == nil:
		return nil, notFound("concern_id", "Concern %s is not known.", c.ConcernID)
	case k.resolved.IsZero():
		return nil, conflict("concern_id", "Concern %s has not been resolved; WSTA is told of a resolution.", c.ConcernID)
	case k.noticeMode != events.NoticeEmail:
		return nil, conflict("concern_id", "The resolution of concern %s was recorded before the ledger e-mailed WSTA; its notice counts as given when it was recorded.", c.ConcernID)
	case !k.notice.IsZero():
		return nil, conflict("concern_id", "WSTA's mail server has already accepted the notice of concern %s.", c.ConcernID)
	}
	if err := notBefore(d, k.resolved.at, "concern "+c.ConcernID+" was resolved"); err != nil {
		return nil, err
	}
	return events.WSTANoticeDelivered{ConcernID: c.ConcernID, MessageID: c.MessageID, To: c.To}, nil
}

func (c *DeclareConcernUnresolved) decide(d *decision) (any, error) {
	k, err := openConcern(d.s, c.ConcernID)
	switch {
	case err != nil:
		return nil, err
	case !k.unresolvedAt.IsZero():
		return nil, conflict("concern_id", "Concern %s has already been declared unresolved.", c.ConcernID)
	case !k.forwarded.IsZero():
		return nil, conflict("concern_id", "Concern %s has already been forwarded to WSTA.", c.ConcernID)
	}
	if err := notBefore(d, k.receivedAt, "concern "+c.ConcernID+" was received"); err != nil {
		return nil, err
	}
	return events.ConcernDeclaredUnresolved{ConcernID: c.ConcernID, Reason: c.Reason}, nil
}

func (c *ForwardConcernToWSTA) decide(d *decision) (any, error) {
	k, err := openConcern(d.s, c.ConcernID)
	switch {
	case err != nil:
		return nil, err
	case !k.forwarded.IsZero():
		return nil, conflict("concern_id", "Concern %s has already been forwarded to WSTA.", c.ConcernID)
	}
	opened, what := k.receivedAt, "concern "+c.ConcernID+" was received"
	if !k.unresolvedAt.IsZero() {
		opened, what = k.unresolvedAt, "concern "+c.ConcernID+" was declared unresolved"
	}
	if err := notBefore(d, opened, what); err != nil {
		return nil, err
	}
	client, err := clientNumberOf(k, c.ConcernID, c.ClientNumber)
	if err != nil {
		return nil, err
	}
	return events.ConcernForwardedToWSTA{ConcernID: c.ConcernID, ClientNumber: client, Reason: c.Reason}, nil
}

func (c *ReceiveWSTARecommendation) decide(d *decision) (any, error) {
	if _, dup := d.s.recommendations[c.RecommendationID]; dup {
		return nil, conflict("recommendation_id", "WSTA recommendation %s has already been recorded.", c.RecommendationID)
	}
	// The concern may be unknown: a client may bypass the provider and go to WSTA (E.4).
	return events.WSTARecommendationReceived{
		ConcernID: c.ConcernID, RecommendationID: c.RecommendationID, Recommendations: c.Recommendations,
	}, nil
}

func (c *ImplementWSTARecommendation) decide(d *decision) (any, error) {
	r := d.s.recommendations[c.RecommendationID]
	switch {
	case r == nil:
		return nil, notFound("recommendation_id", "WSTA recommendation %s is not known.", c.RecommendationID)
	case !r.implemented.IsZero():
		return nil, conflict("recommendation_id", "WSTA recommendation %s has already been implemented.", c.RecommendationID)
	}
	if err := notBefore(d, r.receivedAt, "WSTA recommendation "+c.RecommendationID+" was received"); err != nil {
		return nil, err
	}
	return events.WSTARecommendationImplemented{RecommendationID: c.RecommendationID, ConcernID: r.concernID, Note: c.Note}, nil
}
