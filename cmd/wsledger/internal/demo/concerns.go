package demo

import (
	"fmt"
	"time"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
)

// concerns records the month's client calls: returned within a business day (some late, but
// none in recent months, whose late work is left to nowInHand),
// most resolved and documented in the CLNO, a few declared unresolved and forwarded to WSTA,
// whose recommendations are then implemented (one now and then after the 24 hours).
func (y *year) concerns(m domain.Month) {
	g := y.g
	for k := range g.between(2, 5) {
		id := fmt.Sprintf("%s-Q%d", m, k+1)
		cm := pick(g, y.cms)
		received := g.at(g.businessDay(m.First(), g.between(1, 18)))
		returned := received.Add(time.Duration(g.between(1, 6)) * time.Hour)
		if g.chance(0.15) && !y.recent {
			returned = g.later(received, g.between(2, 3))
		}
		if via := channel(g); via == events.ChannelPhone {
			g.add(received, y.p.id, cm, "ReceiveClientCall", "call-"+id, map[string]any{
				"concern_id": id, "client_number": g.clientNumber(), "summary": pick(g, concernSummaries)})
			g.add(returned, y.p.id, cm, "ReturnClientCall", "return-"+id, map[string]any{"concern_id": id})
		} else {
			g.add(received, y.p.id, cm, "ReceiveConcern", "concern-"+id, map[string]any{
				"concern_id": id, "client_number": g.clientNumber(), "summary": pick(g, concernSummaries), "channel": via})
			if via == events.ChannelVoicemail {
				g.add(returned, y.p.id, cm, "ReturnClientCall", "return-"+id, map[string]any{"concern_id": id})
			}
		}
		switch r := g.r.Float64(); {
		case r < 0.8:
			resolved := g.later(returned, g.between(1, 8))
			level := pick(g, []string{events.LevelCaseManager, events.LevelCaseManager, events.LevelSupervisor, events.LevelProgramManager})
			y.resolve(id, cm, resolved, level, "Explained the decision and documented the resolution in the CLNO.")
		case r < 0.95:
			y.forward(id, cm, returned)
		}
	}
}

// channel picks how a concern reaches the provider: mostly by phone, now and then by voicemail,
// letter, e-mail, a visit, or WSTA's referral.
func channel(g *generator) string {
	n := g.r.IntN(60)
	if n >= 18 {
		return events.ChannelPhone
	}
	others := []string{events.ChannelVoicemail, events.ChannelVoicemail, events.ChannelWritten, events.ChannelEmail,
		events.ChannelInPerson, events.ChannelWSTAReferral}
	return others[n%len(others)]
}

// forward declares a concern unresolved, forwards it to WSTA, implements WSTA's recommendations
// and then resolves the concern.
func (y *year) forward(id string, cm actor, after time.Time) {
	g := y.g
	declared := g.later(after, g.between(3, 6))
	g.add(declared, y.p.id, cm, "DeclareConcernUnresolved", "unresolved-"+id, map[string]any{
		"concern_id": id, "reason": "The client does not accept the provider's resolution."})
	forwarded := declared.Add(30 * time.Minute)
	g.add(forwarded, y.p.id, cm, "ForwardConcernToWSTA", "forward-"+id, map[string]any{
		"concern_id": id, "reason": "Internal process exhausted; the client asked for a WSTA case review."})
	recID := "REC-" + id
	advised := g.later(forwarded, g.between(3, 8))
	g.add(advised, y.p.id, cm, "ReceiveWSTARecommendation", "recommendation-"+id, map[string]any{
		"concern_id": id, "recommendation_id": recID,
		"recommendations": []string{"Review the hours with the client and the work site.", "Reissue the notice with the corrected dates."}})
	hours := g.between(2, 20)
	if g.chance(0.2) && !y.recent {
		hours = g.between(26, 40)
	}
	implemented := advised.Add(time.Duration(hours) * time.Hour)
	g.add(implemented, y.p.id, cm, "ImplementWSTARecommendation", "implement-"+id, map[string]any{
		"recommendation_id": recID, "note": "Hours reviewed with the client; notice reissued."})
	resolved := g.later(implemented, g.between(1, 4))
	y.resolve(id, cm, resolved, events.LevelProgramManager, "Settled with WSTA's recommendations; documented in the CLNO.")
}

// mailer is who records that WSTA's mail server accepted a notice: the ledger's mailer.
var mailer = actor{"wsledger-mailer", events.RoleAdmin}

// resolve resolves a concern, documented in the CLNO that day, and records the e-mail telling
// WSTA of it as the ledger's mailer would once WSTA's mail server accepted it, a few minutes
// later: the demo's notices are delivered.
func (y *year) resolve(id string, cm actor, at time.Time, level, summary string) {
	g := y.g
	g.add(at, y.p.id, cm, "ResolveConcern", "resolve-"+id, map[string]any{
		"concern_id": id, "clno_date": domain.DateOf(at).String(), "level": level, "summary": summary})
	g.add(at.Add(4*time.Minute), y.p.id, mailer, "RecordWSTANoticeDelivered", "notice-"+id, map[string]any{
		"concern_id": id, "message_id": "<wsta-notice.demo-" + y.p.id + "-" + id + "@" + y.p.id + ".example>", "to": "WSTA@alaska.gov"})
}

// clientDuties records emergencies (the client seen within 48 hours, sometimes not) and changes
// in circumstances reported to DPA Eligibility.
func (y *year) clientDuties(m domain.Month) {
	g := y.g
	if g.chance(0.6) {
		id := fmt.Sprintf("%s-E1", m)
		cm := pick(g, y.cms)
		disclosed := g.at(g.businessDay(m.First(), g.between(1, 18)))
		g.add(disclosed, y.p.id, cm, "DiscloseEmergency", "emergency-"+id, map[string]any{
			"emergency_id": id, "client_number": g.clientNumber(), "track": pick(g, []string{events.TrackWorkFirst, events.TrackFamiliesFirst})})
		hours := g.between(3, 40)
		if g.chance(0.15) && !y.recent {
			hours = g.between(50, 70)
		}
		g.add(disclosed.Add(time.Duration(hours)*time.Hour), y.p.id, cm, "SeeEmergencyClient", "seen-"+id, map[string]any{"emergency_id": id})
	}
	for k := range g.between(1, 2) {
		id := fmt.Sprintf("%s-X%d", m, k+1)
		cm := pick(g, y.cms)
		learned := g.at(g.businessDay(m.First(), g.between(1, 18)))
		g.add(learned, y.p.id, cm, "LearnCircumstanceChange", "change-"+id, map[string]any{
			"change_id": id, "client_number": g.clientNumber(), "description": pick(g, changeDescriptions)})
		days := g.between(1, 4)
		if g.chance(0.1) && !y.recent {
			days = g.between(6, 8)
		}
		g.add(g.later(learned, days), y.p.id, cm, "ReportCircumstanceChange", "reported-"+id, map[string]any{"change_id": id})
	}
}
