package events

import (
	"encoding/json"
	"reflect"
	"testing"
)

// samplePayloads holds one filled-in payload of every event type, so that every type is
// round-tripped and a type added to the catalogue without a sample fails the test.
var samplePayloads = map[string]any{
	TypeProviderRegistered: ProviderRegistered{Name: "North Star Work Services", Region: "southcentral"},
	TypeStaffRosterSubmitted: StaffRosterSubmitted{Month: "2025-03", Staff: []StaffMember{
		{StaffID: "pm1", Name: "Pat Manager", Role: "program_manager"},
		{StaffID: "cm1", Name: "Casey Worker", Role: "case_manager", SupervisorID: "pm1"},
	}},
	TypeCaseloadReported: CaseloadReported{Month: "2025-03", Cases: []Case{
		{CaseID: "C100", FamilyType: "all_family", CaseManagerID: "cm1"},
	}},
	TypeFileReviewSampleDrawn: FileReviewSampleDrawn{Month: "2025-03", Seed: "s", SeedDerived: true,
		CaseloadSize: 1, SampleSize: 1, CaseIDs: []string{"C100"}},
	TypeFileReviewRecorded: FileReviewRecorded{ReviewID: "R1", Month: "2025-03", CaseID: "C100",
		CaseManagerID: "cm1", ReviewerID: "pm1", ReviewerRole: "program_manager",
		Findings: []Finding{{FindingID: "F1", Category: "work_activity", Negative: true, Description: "hours"}}},
	TypeCorrectionCompleted: CorrectionCompleted{FindingID: "F1", Source: SourceFileReview, SourceID: "R1", Note: "fixed"},
	TypeWSQRFindingsReceived: WSQRFindingsReceived{WSQRID: "W1", Period: "2025-Q1", ResponseDue: "2025-04-30",
		ResponseDueAgreed: true, Findings: []Finding{{FindingID: "F2", Category: "cms", Negative: true}},
		WorkVerification: WorkVerification{Correct: 79, Reviewed: 100}, Accuracy: "0.79",
		ConfirmationRequired: true},
	TypeWSQRResponseSubmitted: WSQRResponseSubmitted{WSQRID: "W1", Plans: []Plan{{FindingID: "F2", Plan: "train"}},
		BestPractice: "peer review"},
	TypePerformanceConfirmationConfirmed: PerformanceConfirmationConfirmed{State: ConfirmationStarted, WSQRID: "W1",
		ComputedRequired: true, Agrees: true},
	TypeClientCallReceived: ClientCallReceived{ConcernID: "K1", ClientNumber: "12345678", Summary: "late payment"},
	TypeConcernReceived:    ConcernReceived{ConcernID: "K2", ClientNumber: "12345678", Summary: "letter about hours", Channel: ChannelWritten},
	TypeClientCallReturned: ClientCallReturned{ConcernID: "K1"},
	TypeConcernResolved: ConcernResolved{ConcernID: "K1", ClientNumber: "12345678", CLNODate: "2025-03-04",
		Summary: "explained", Level: LevelSupervisor, Notice: NoticeEmail},
	TypeWSTANoticeDelivered: WSTANoticeDelivered{ConcernID: "K1", MessageID: "<n@x>", To: "wsta@example.gov"},
	TypePolicySettingsRecorded: PolicySettingsRecorded{WSTANoticeBusinessDays: 2, WSQRDefaultResponseBusinessDays: 20, DueSoonBusinessDays: 2,
		LateEntryBusinessDays: 1, ClockSkew: "5m0s", StatewideFamilyMix: []FamilyShare{{FamilyType: "all_family", Cases: 9}},
		Closures: []Closure{{Date: "2026-12-24", Name: "Christmas Eve (proclaimed)"}}},
	TypeHistoryRecovered: HistoryRecovered{CheckpointSize: 12, CheckpointRoot: "75b51cf640801862ac45830598aee5b9828f284c03117387fabaa41e5e1990d2",
		HistorySize: 4, Reason: "disk failure; restored the backup of 2026-12-01"},
	TypeConcernDeclaredUnresolved: ConcernDeclaredUnresolved{ConcernID: "K1", Reason: "client disagrees"},
	TypeConcernForwardedToWSTA:    ConcernForwardedToWSTA{ConcernID: "K1", ClientNumber: "12345678", Reason: "unresolved"},
	TypeWSTARecommendationReceived: WSTARecommendationReceived{ConcernID: "K1", RecommendationID: "REC1",
		Recommendations: []string{"reassess"}},
	TypeWSTARecommendationImplemented: WSTARecommendationImplemented{RecommendationID: "REC1", ConcernID: "K1", Note: "done"},
	TypeEmergencyDisclosed:            EmergencyDisclosed{EmergencyID: "E1", ClientNumber: "12345678", Track: TrackWorkFirst},
	TypeEmergencyClientSeen:           EmergencyClientSeen{EmergencyID: "E1"},
	TypeCircumstanceChangeLearned:     CircumstanceChangeLearned{ChangeID: "X1", ClientNumber: "12345678", Description: "new job"},
	TypeCircumstanceChangeReported:    CircumstanceChangeReported{ChangeID: "X1"},
	TypeDPAReportReceived: DPAReportReceived{ReportID: "D1", Kind: DPAReportParticipantList, Period: "2025-02",
		DistributedOn: "2025-03-03", SelectedCases: []string{"C100"},
		Findings:           []Finding{{FindingID: "F3", Category: "hours", Negative: true}},
		StatewideFamilyMix: []FamilyShare{{FamilyType: "all_family", Cases: 90}, {FamilyType: "two_parent", Cases: 10}},
		Remarks:            []string{"The list selects 1 case; the rule gives 5."}},
	TypeDPAReportResponded: DPAReportResponded{ReportID: "D1", Items: []ResponseItem{{CaseID: "C100", Action: ActionCorrected}}},
	TypePerformanceMeasuresPosted: PerformanceMeasuresPosted{Period: "2025-02", Measures: []Measure{
		{Measure: "employment_entry", Numerator: 3, Denominator: 10},
		{Measure: "employment_entry", CaseManagerID: "cm1", Numerator: 1, Denominator: 4},
	}},
	TypeReportSubmitted: ReportSubmitted{Kind: ReportQCIP, Period: "2025-Q1",
		Documents: []Document{{Name: "qcip.pdf", SHA256: "ab"}}},
	TypeAccessDenied: AccessDenied{StaffID: "aud1", Role: RoleCSQAAuditor, Action: "RecordFileReview",
		Reason: "csqa_auditor is read-only"},
}

func TestCatalogueRoundTripsEveryType(t *testing.T) {
	for _, name := range Catalogue.Types() {
		t.Run(name, func(t *testing.T) {
			want, ok := samplePayloads[name]
			if !ok {
				t.Fatalf("no sample payload for %s", name)
			}
			raw, err := json.Marshal(want)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Decode(Envelope{Type: name, Version: CurrentVersion(name), Payload: raw})
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("round trip changed the payload:\n got %#v\nwant %#v", got, want)
			}
		})
	}
	if len(samplePayloads) != len(Catalogue.Types()) {
		t.Errorf("%d sample payloads for %d catalogue types", len(samplePayloads), len(Catalogue.Types()))
	}
}
