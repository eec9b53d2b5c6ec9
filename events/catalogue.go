package events

// Event type names. Each is the past tense of the command that emits it (see docs/events.md).
const (
	TypeProviderRegistered               = "ProviderRegistered"
	TypeStaffRosterSubmitted             = "StaffRosterSubmitted"
	TypeCaseloadReported                 = "CaseloadReported"
	TypeFileReviewSampleDrawn            = "FileReviewSampleDrawn"
	TypeFileReviewRecorded               = "FileReviewRecorded"
	TypeCorrectionCompleted              = "CorrectionCompleted"
	TypeWSQRFindingsReceived             = "WSQRFindingsReceived"
	TypeWSQRResponseSubmitted            = "WSQRResponseSubmitted"
	TypePerformanceConfirmationConfirmed = "PerformanceConfirmationConfirmed"
	TypeClientCallReceived               = "ClientCallReceived"
	TypeConcernReceived                  = "ConcernReceived"
	TypeClientCallReturned               = "ClientCallReturned"
	TypeConcernResolved                  = "ConcernResolved"
	TypeWSTANoticeDelivered              = "WSTANoticeDelivered"
	TypeConcernDeclaredUnresolved        = "ConcernDeclaredUnresolved"
	TypeConcernForwardedToWSTA           = "ConcernForwardedToWSTA"
	TypeWSTARecommendationReceived       = "WSTARecommendationReceived"
	TypeWSTARecommendationImplemented    = "WSTARecommendationImplemented"
	TypeEmergencyDisclosed               = "EmergencyDisclosed"
	TypeEmergencyClientSeen              = "EmergencyClientSeen"
	TypeCircumstanceChangeLearned        = "CircumstanceChangeLearned"
	TypeCircumstanceChangeReported       = "CircumstanceChangeReported"
	TypeDPAReportReceived                = "DPAReportReceived"
	TypeDPAReportResponded               = "DPAReportResponded"
	TypePerformanceMeasuresPosted        = "PerformanceMeasuresPosted"
	TypeReportSubmitted                  = "ReportSubmitted"
	TypeAccessDenied                     = "AccessDenied"
	TypePolicySettingsRecorded           = "PolicySettingsRecorded"
	TypeHistoryRecovered                 = "HistoryRecovered"
)

// Catalogue is the registry of every event type wsledger writes, at its current schema version,
// with the upcasters that bring older payloads up to date.
var Catalogue = mustRegistry(
	Register[ProviderRegistered](TypeProviderRegistered, 1),
	Register[StaffRosterSubmitted](TypeStaffRosterSubmitted, 1),
	Register[CaseloadReported](TypeCaseloadReported, 1),
	Register[FileReviewSampleDrawn](TypeFileReviewSampleDrawn, 1),
	Register[FileReviewRecorded](TypeFileReviewRecorded, 1),
	Register[CorrectionCompleted](TypeCorrectionCompleted, 1),
	Register[WSQRFindingsReceived](TypeWSQRFindingsReceived, 1),
	Register[WSQRResponseSubmitted](TypeWSQRResponseSubmitted, 1),
	Register[PerformanceConfirmationConfirmed](TypePerformanceConfirmationConfirmed, 1),
	Register[ClientCallReceived](TypeClientCallReceived, 1),
	Register[ConcernReceived](TypeConcernReceived, 1),
	Register[ClientCallReturned](TypeClientCallReturned, 1),
	Register[ConcernResolved](TypeConcernResolved, 3, UpcastConcernResolvedV1, UpcastConcernResolvedV2),
	Register[WSTANoticeDelivered](TypeWSTANoticeDelivered, 1),
	Register[ConcernDeclaredUnresolved](TypeConcernDeclaredUnresolved, 1),
	Register[ConcernForwardedToWSTA](TypeConcernForwardedToWSTA, 1),
	Register[WSTARecommendationReceived](TypeWSTARecommendationReceived, 1),
	Register[WSTARecommendationImplemented](TypeWSTARecommendationImplemented, 1),
	Register[EmergencyDisclosed](TypeEmergencyDisclosed, 1),
	Register[EmergencyClientSeen](TypeEmergencyClientSeen, 1),
	Register[CircumstanceChangeLearned](TypeCircumstanceChangeLearned, 1),
	Register[CircumstanceChangeReported](TypeCircumstanceChangeReported, 1),
	Register[DPAReportReceived](TypeDPAReportReceived, 2, UpcastDPAReportReceivedV1),
	Register[DPAReportResponded](TypeDPAReportResponded, 1),
	Register[PerformanceMeasuresPosted](TypePerformanceMeasuresPosted, 1),
	Register[ReportSubmitted](TypeReportSubmitted, 1),
	Register[AccessDenied](TypeAccessDenied, 1),
	Register[PolicySettingsRecorded](TypePolicySettingsRecorded, 1),
	Register[HistoryRecovered](TypeHistoryRecovered, 1),
)

// Decode decodes an event's payload with the Catalogue (see Registry.Decode).
func Decode(e Envelope) (any, error) { return Catalogue.Decode(e) }

// CurrentVersion returns the Catalogue's current schema version of an event type, or 0 when the
// type is unknown.
func CurrentVersion(eventType string) int { return Catalogue.Current(eventType) }
