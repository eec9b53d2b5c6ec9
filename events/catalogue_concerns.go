package events

// ClientCallReceived opens a client concern with the call that raised it (due diligence E.1).
type ClientCallReceived struct {
	ConcernID    string `json:"concern_id"`
	ClientNumber string `json:"client_number"`
	Summary      string `json:"summary"`
}

// Channels a client concern reaches the provider by. Only a call (ChannelPhone) or a voicemail
// opens the one-business-day callback duty (due diligence E.1).
const (
	ChannelPhone        = "phone"
	ChannelVoicemail    = "voicemail"
	ChannelWritten      = "written"
	ChannelEmail        = "email"
	ChannelInPerson     = "in_person"
	ChannelWSTAReferral = "wsta_referral" // the client went to WSTA, which referred the concern (E.4)
)

// ConcernReceived opens a client concern that reached the provider by a channel other than the
// phone call ClientCallReceived records: a voicemail, a letter, an e-mail, a visit, or WSTA's
// referral of a concern the client took to WSTA (due diligence E).
type ConcernReceived struct {
	ConcernID    string `json:"concern_id"`
	ClientNumber string `json:"client_number"`
	Summary      string `json:"summary"`
	Channel      string `json:"channel"`
}

// ClientCallReturned records that the client's call was returned.
type ClientCallReturned struct {
	ConcernID string `json:"concern_id"`
}

// Levels at which a concern is resolved. LevelUnrecorded marks resolutions recorded before the
// level was kept (schema version 1).
const (
	LevelCaseManager    = "case_manager"
	LevelSupervisor     = "supervisor"
	LevelProgramManager = "program_manager"
	LevelUnrecorded     = "unrecorded"
)

// How WSTA is told of a resolved concern (ConcernResolved.Notice).
const (
	// NoticeRecorded: the resolution recorded before the ledger e-mailed WSTA; its notice
	// counts as given when the ledger recorded it (schema versions 1 and 2).
	NoticeRecorded = "recorded"
	// NoticeEmail: the notice is an e-mail to WSTA, given when WSTA's mail server accepts it
	// (WSTANoticeDelivered).
	NoticeEmail = "email"
)

// ConcernResolved records a concern resolved and documented in the CLNO (due diligence E.2, E.5).
// It carries the client number and the CLNO date because it is what WSTA is told.
// Version 2 added Level; version 1 payloads are upcast with Level "unrecorded". Version 3 added
// Notice, "email" from then on; version 2 payloads are upcast with Notice "recorded".
type ConcernResolved struct {
	ConcernID    string `json:"concern_id"`
	ClientNumber string `json:"client_number"`
	CLNODate     string `json:"clno_date"` // YYYY-MM-DD
	Summary      string `json:"summary"`
	Level        string `json:"level"`
	Notice       string `json:"notice"`
}

// WSTANoticeDelivered records that WSTA's mail server accepted the e-mail telling WSTA of a
// resolved concern (due diligence E.2, E.5): the message's Message-ID and the address it went to.
// Its occurred_at is the instant the server accepted the message.
type WSTANoticeDelivered struct {
	ConcernID string `json:"concern_id"`
	MessageID string `json:"message_id"`
	To        string `json:"to"`
}

// ConcernDeclaredUnresolved records that the provider's internal process could not resolve a
// concern, which starts the duty to forward it to WSTA (due diligence E.3).
type ConcernDeclaredUnresolved struct {
	ConcernID string `json:"concern_id"`
	Reason    string `json:"reason"`
}

// ConcernForwardedToWSTA records an unresolved concern forwarded to WSTA; it carries the client
// number because it is the notice WSTA receives.
type ConcernForwardedToWSTA struct {
	ConcernID    string `json:"concern_id"`
	ClientNumber string `json:"client_number"`
	Reason       string `json:"reason"`
}

// WSTARecommendationReceived records WSTA's recommendations after a case review of a concern
// (due diligence E.4). The concern may be one the provider never recorded (the client bypassed it).
type WSTARecommendationReceived struct {
	ConcernID        string   `json:"concern_id"`
	RecommendationID string   `json:"recommendation_id"`
	Recommendations  []string `json:"recommendations"`
}

// WSTARecommendationImplemented records that WSTA's recommendations were implemented.
type WSTARecommendationImplemented struct {
	RecommendationID string `json:"recommendation_id"`
	ConcernID        string `json:"concern_id"`
	Note             string `json:"note,omitempty"`
}
