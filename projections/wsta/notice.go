package wsta

import (
	"time"

	"github.com/wsledger/wsledger/events"
)

// Kinds of notice: the last token of a notice's subject, wsta.<provider>.<kind>.
const (
	// KindConcernResolved: a concern resolved and documented in the CLNO, with the client number
	// and the CLNO date (due diligence E.2, E.5).
	KindConcernResolved = "concern_resolved"
	// KindNoticeDelivered: WSTA's mail server accepted the e-mail telling WSTA of a resolved
	// concern, with its Message-ID: the notice's delivery state (E.2, E.5).
	KindNoticeDelivered = "notice_delivered"
	// KindConcernForwarded: a concern the provider could not resolve, forwarded (E.3).
	KindConcernForwarded = "concern_forwarded"
	// KindDPAReportResponse: the written response to an inconsistent data report or a
	// participant list (WSPM 1015).
	KindDPAReportResponse = "dpa_report_response"
	// KindQCIP: the quarterly continuous improvement plan (WSPM 1015).
	KindQCIP = "qcip"
	// KindStaffRoster: the month's staff roster (WSPM 1015-12).
	KindStaffRoster = "staff_roster"
	// KindWSQRResponse: the written response to a WSQR's findings (due diligence D.1).
	KindWSQRResponse = "wsqr_response"
	// KindDigest: a provider's digest (last position, sequence and head hash), published on
	// request, against which WSTA can later verify the provider's history.
	KindDigest = "digest"
)

// SubjectPrefix is the first token of every WSTA subject.
const SubjectPrefix = "wsta"

// Subject returns wsta.<provider>.<kind>.
func Subject(provider, kind string) string { return SubjectPrefix + "." + provider + "." + kind }

// KindOf returns the kind of notice an event is, or "" when WSTA does not receive it. Only a
// submitted report needs its payload: of the reports a provider submits, WSTA receives the QCIP.
func KindOf(e events.Envelope) (string, error) {
	switch e.Type {
	case events.TypeConcernResolved:
		return KindConcernResolved, nil
	case events.TypeWSTANoticeDelivered:
		return KindNoticeDelivered, nil
	case events.TypeConcernForwardedToWSTA:
		return KindConcernForwarded, nil
	case events.TypeDPAReportResponded:
		return KindDPAReportResponse, nil
	case events.TypeStaffRosterSubmitted:
		return KindStaffRoster, nil
	case events.TypeWSQRResponseSubmitted:
		return KindWSQRResponse, nil
	case events.TypeReportSubmitted:
		p, err := events.Decode(e)
		if err != nil {
			return "", err
		}
		if r, ok := p.(events.ReportSubmitted); ok && r.Kind == events.ReportQCIP {
			return KindQCIP, nil
		}
	}
	return "", nil
}

// Notice is the body of a notice message: the whole event exactly as the ledger stores it, so that
// WSTA can read it and check its hash and chain against a published digest.
type Notice struct {
	Kind           string          `json:"kind"`
	Provider       string          `json:"provider"`
	LedgerSequence uint64          `json:"ledger_sequence"`
	OccurredAt     time.Time       `json:"occurred_at"`
	RecordedAt     time.Time       `json:"recorded_at"`
	Event          events.Envelope `json:"event"`
}

// Headers of WSTA messages besides Nats-Msg-Id (the event id, or the digest's id).
const (
	// HeaderLedgerSequence carries the ledger stream sequence of a notice's event; the feed
	// resumes after the last message that carries it.
	HeaderLedgerSequence = "Wsledger-Ledger-Sequence"
	// HeaderKind carries the notice's kind.
	HeaderKind = "Wsledger-Kind"
)
