package domain

import (
	"time"

	"github.com/wsledger/wsledger/events"
)

// Header holds the fields every command carries.
type Header struct {
	Type           string       `json:"type"`
	Provider       string       `json:"provider"`
	IdempotencyKey string       `json:"idempotency_key,omitempty"`
	Actor          events.Actor `json:"actor"`
	// OccurredAt is when the thing happened in the world; zero means "now" (Decide's clock).
	OccurredAt time.Time `json:"occurred_at,omitzero"`
	// ExpectedVersion, when set, is the last stream sequence of the command's aggregate that the
	// client saw; 0 means the aggregate must not exist yet.
	ExpectedVersion *uint64 `json:"expected_version,omitempty"`
}

// Header returns the header itself, so that every command embedding it satisfies Command.
func (h *Header) Header() *Header { return h }

// header lets commands embed Header under a field name that does not clash with the method.
type header = Header

// Command is a request to record something: checked by Validate and decided by Decide. The
// package wire reads commands from JSON.
type Command interface {
	// Header returns the command's common fields.
	Header() *Header
	// Target returns the aggregate the command writes to: its kind and natural id. The event's
	// aggregate is the policy's SubjectKey.AggregateID(provider, kind, naturalID), or the
	// unkeyed AggregateID for an aggregate begun before the ledger had a key.
	Target() (kind, naturalID string)

	validate() error
	decide(d *decision) (payload any, err error)
}

// decision is what a command's rules see: the state, the command's header, when it happened and
// the policy.
type decision struct {
	s   *State
	h   *Header
	at  time.Time // occurred_at, defaulted to now
	now time.Time
	p   Policy
}

// commandSpec ties a command type to its name and the event it appends.
type commandSpec struct {
	name  string
	event string
	new   func() Command
	is    func(Command) bool // whether a command is of this type
}

func spec[T any, P interface {
	*T
	Command
}](name, event string) commandSpec {
	return commandSpec{name: name, event: event,
		new: func() Command { return P(new(T)) },
		is:  func(c Command) bool { _, ok := c.(P); return ok }}
}

// commandSpecs lists every command, in the order of the design's catalogue.
var commandSpecs = []commandSpec{
	spec[RegisterProvider]("RegisterProvider", events.TypeProviderRegistered),
	spec[SubmitStaffRoster]("SubmitStaffRoster", events.TypeStaffRosterSubmitted),
	spec[ReportCaseload]("ReportCaseload", events.TypeCaseloadReported),
	spec[DrawFileReviewSample]("DrawFileReviewSample", events.TypeFileReviewSampleDrawn),
	spec[RecordFileReview]("RecordFileReview", events.TypeFileReviewRecorded),
	spec[CompleteCorrection]("CompleteCorrection", events.TypeCorrectionCompleted),
	spec[ReceiveWSQRFindings]("ReceiveWSQRFindings", events.TypeWSQRFindingsReceived),
	spec[SubmitWSQRResponse]("SubmitWSQRResponse", events.TypeWSQRResponseSubmitted),
	spec[ConfirmPerformanceConfirmation]("ConfirmPerformanceConfirmation", events.TypePerformanceConfirmationConfirmed),
	spec[ReceiveClientCall]("ReceiveClientCall", events.TypeClientCallReceived),
	spec[ReceiveConcern]("ReceiveConcern", events.TypeConcernReceived),
	spec[ReturnClientCall]("ReturnClientCall", events.TypeClientCallReturned),
	spec[ResolveConcern]("ResolveConcern", events.TypeConcernResolved),
	spec[RecordWSTANoticeDelivered]("RecordWSTANoticeDelivered", events.TypeWSTANoticeDelivered),
	spec[DeclareConcernUnresolved]("DeclareConcernUnresolved", events.TypeConcernDeclaredUnresolved),
	spec[ForwardConcernToWSTA]("ForwardConcernToWSTA", events.TypeConcernForwardedToWSTA),
	spec[ReceiveWSTARecommendation]("ReceiveWSTARecommendation", events.TypeWSTARecommendationReceived),
	spec[ImplementWSTARecommendation]("ImplementWSTARecommendation", events.TypeWSTARecommendationImplemented),
	spec[DiscloseEmergency]("DiscloseEmergency", events.TypeEmergencyDisclosed),
	spec[SeeEmergencyClient]("SeeEmergencyClient", events.TypeEmergencyClientSeen),
	spec[LearnCircumstanceChange]("LearnCircumstanceChange", events.TypeCircumstanceChangeLearned),
	spec[ReportCircumstanceChange]("ReportCircumstanceChange", events.TypeCircumstanceChangeReported),
	spec[ReceiveDPAReport]("ReceiveDPAReport", events.TypeDPAReportReceived),
	spec[RespondToDPAReport]("RespondToDPAReport", events.TypeDPAReportResponded),
	spec[PostPerformanceMeasures]("PostPerformanceMeasures", events.TypePerformanceMeasuresPosted),
	spec[SubmitReport]("SubmitReport", events.TypeReportSubmitted),
	spec[RecordPolicySettings]("RecordPolicySettings", events.TypePolicySettingsRecorded),
}

var specByName = map[string]commandSpec{}

func init() {
	for _, s := range commandSpecs {
		specByName[s.name] = s
	}
}

// specOf returns the spec of a command's Go type. The name its header gives is tried first, as
// it is almost always right.
func specOf(cmd Command) (commandSpec, bool) {
	if cmd == nil {
		return commandSpec{}, false
	}
	if s, ok := specByName[cmd.Header().Type]; ok && s.is(cmd) {
		return s, true
	}
	for _, s := range commandSpecs {
		if s.is(cmd) {
			return s, true
		}
	}
	return commandSpec{}, false
}

// NewCommand returns a zero command of the type a command name names, for a decoder to fill,
// and false for a name that is not a command's.
func NewCommand(name string) (Command, bool) {
	s, ok := specByName[name]
	if !ok {
		return nil, false
	}
	return s.new(), true
}

// CommandTypes returns the names of every command, in catalogue order.
func CommandTypes() []string {
	names := make([]string, len(commandSpecs))
	for i, s := range commandSpecs {
		names[i] = s.name
	}
	return names
}

// EventTypeOf returns the event type a command type appends, or "" for an unknown command.
func EventTypeOf(commandType string) string { return specByName[commandType].event }
