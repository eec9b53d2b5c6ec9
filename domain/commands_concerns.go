package domain

import "github.com/wsledger/wsledger/events"

// ReceiveClientCall records a client's call to staff or management, opening a concern
// (due diligence E.1).
type ReceiveClientCall struct {
	header
	ConcernID    string `json:"concern_id"`
	ClientNumber string `json:"client_number"`
	Summary      string `json:"summary"`
}

// ReceiveConcern records a client concern or complaint that reached the provider by any channel
// (due diligence E): phone and voicemail open the one-business-day callback duty (E.1); a
// written, e-mailed or in-person concern, or one WSTA referred (E.4), does not. ReceiveClientCall
// is the phone case.
type ReceiveConcern struct {
	header
	ConcernID    string `json:"concern_id"`
	ClientNumber string `json:"client_number"`
	Summary      string `json:"summary"`
	Channel      string `json:"channel"`
}

// ReturnClientCall records that the client's call was returned.
type ReturnClientCall struct {
	header
	ConcernID string `json:"concern_id"`
}

// ResolveConcern records a concern resolved and documented in the CLNO, with the level it was
// resolved at (due diligence E.2, E.5). The event is the notice WSTA receives.
//
// ClientNumber is needed only for a concern whose client number the ledger does not know (one
// WSTA referred through its recommendations alone); otherwise it may be left out and must match.
type ResolveConcern struct {
	header
	ConcernID    string `json:"concern_id"`
	CLNODate     string `json:"clno_date"`
	Summary      string `json:"summary"`
	Level        string `json:"level"`
	ClientNumber string `json:"client_number,omitempty"`
}

// RecordWSTANoticeDelivered records that WSTA's mail server accepted the e-mail telling WSTA of
// a concern's resolution (due diligence E.2, E.5): the message's Message-ID and the address it went
// to. Its occurred_at is the instant of acceptance. The ledger's mailer records it; only an admin
// may.
type RecordWSTANoticeDelivered struct {
	header
	ConcernID string `json:"concern_id"`
	MessageID string `json:"message_id"`
	To        string `json:"to"`
}

// DeclareConcernUnresolved records that the internal process could not resolve a concern, which
// starts the duty to forward it to WSTA (due diligence E.3).
type DeclareConcernUnresolved struct {
	header
	ConcernID string `json:"concern_id"`
	Reason    string `json:"reason"`
}

// ForwardConcernToWSTA records an unresolved concern forwarded to WSTA (due diligence E.3), or a
// concern WSTA referred forwarded back to it. ClientNumber is as in ResolveConcern.
type ForwardConcernToWSTA struct {
	header
	ConcernID    string `json:"concern_id"`
	Reason       string `json:"reason"`
	ClientNumber string `json:"client_number,omitempty"`
}

// ReceiveWSTARecommendation records WSTA's recommendations for settling a concern
// (due diligence E.4).
type ReceiveWSTARecommendation struct {
	header
	ConcernID        string   `json:"concern_id"`
	RecommendationID string   `json:"recommendation_id"`
	Recommendations  []string `json:"recommendations"`
}

// ImplementWSTARecommendation records that WSTA's recommendations were implemented.
type ImplementWSTARecommendation struct {
	header
	RecommendationID string `json:"recommendation_id"`
	Note             string `json:"note,omitempty"`
}

var resolutionLevels = []string{events.LevelCaseManager, events.LevelSupervisor, events.LevelProgramManager}

// concernChannels are the ways a concern reaches the provider.
var concernChannels = []string{events.ChannelPhone, events.ChannelVoicemail, events.ChannelWritten,
	events.ChannelEmail, events.ChannelInPerson, events.ChannelWSTAReferral}

// callbackChannels open the duty to return the client's call within one business day (E.1).
var callbackChannels = []string{events.ChannelPhone, events.ChannelVoicemail}

func (c *ReceiveClientCall) Target() (string, string)         { return KindConcern, c.ConcernID }
func (c *ReceiveConcern) Target() (string, string)            { return KindConcern, c.ConcernID }
func (c *ReturnClientCall) Target() (string, string)          { return KindConcern, c.ConcernID }
func (c *ResolveConcern) Target() (string, string)            { return KindConcern, c.ConcernID }
func (c *RecordWSTANoticeDelivered) Target() (string, string) { return KindConcern, c.ConcernID }
func (c *DeclareConcernUnresolved) Target() (string, string)  { return KindConcern, c.ConcernID }
func (c *ForwardConcernToWSTA) Target() (string, string)      { return KindConcern, c.ConcernID }
func (c *ReceiveWSTARecommendation) Target() (string, string) {
	return KindRecommendation, c.RecommendationID
}
func (c *ImplementWSTARecommendation) Target() (string, string) {
	return KindRecommendation, c.RecommendationID
}

func (c *ReceiveClientCall) validate() error {
	return asError(first(
		checkID("concern_id", c.ConcernID),
		checkClientNumber("client_number", c.ClientNumber),
		checkText("summary", c.Summary, maxLongText),
		checkIDOmitsClientNumber("concern_id", c.ConcernID, c.ClientNumber),
	))
}

func (c *ReceiveConcern) validate() error {
	return asError(first(
		checkID("concern_id", c.ConcernID),
		checkClientNumber("client_number", c.ClientNumber),
		checkText("summary", c.Summary, maxLongText),
		checkEnum("channel", c.Channel, concernChannels...),
		checkIDOmitsClientNumber("concern_id", c.ConcernID, c.ClientNumber),
	))
}

func (c *ReturnClientCall) validate() error { return asError(checkID("concern_id", c.ConcernID)) }

func (c *ResolveConcern) validate() error {
	return asError(first(
		checkID("concern_id", c.ConcernID),
		checkDate("clno_date", c.CLNODate),
		checkText("summary", c.Summary, maxLongText),
		checkEnum("level", c.Level, resolutionLevels...),
		checkOptionalClientNumber("client_number", c.ClientNumber),
		checkIDOmitsClientNumber("concern_id", c.ConcernID, c.ClientNumber),
	))
}

func (c *RecordWSTANoticeDelivered) validate() error {
	return asError(first(
		checkID("concern_id", c.ConcernID),
		checkText("message_id", c.MessageID, maxShortText),
		checkText("to", c.To, maxShortText),
	))
}

func (c *DeclareConcernUnresolved) validate() error {
	return asError(first(checkID("concern_id", c.ConcernID), checkText("reason", c.Reason, maxLongText)))
}

func (c *ForwardConcernToWSTA) validate() error {
	return asError(first(
		checkID("concern_id", c.ConcernID),
		checkText("reason", c.Reason, maxLongText),
		checkOptionalClientNumber("client_number", c.ClientNumber),
		checkIDOmitsClientNumber("concern_id", c.ConcernID, c.ClientNumber),
	))
}

func (c *ReceiveWSTARecommendation) validate() error {
	return asError(first(
		checkID("concern_id", c.ConcernID),
		checkID("recommendation_id", c.RecommendationID),
		checkNotEmpty("recommendations", c.Recommendations, "recommendation"),
		checkEach(c.Recommendations, func(i int, r string) *events.Error {
			return checkText(at("recommendations", i, ""), r, maxLongText)
		}),
	))
}

func (c *ImplementWSTARecommendation) validate() error {
	return asError(first(
		checkID("recommendation_id", c.RecommendationID),
		checkOptionalText("note", c.Note, maxLongText),
	))
}
