package web

import "testing"

// TestDashboard runs the handler tests against one real dashboard (embedded NATS with the demo
// data, projections, ledger service, tokens, httptest server), in order: the tests that record
// corrections each use a provider of their own, and every test compares the pages with what
// the projections say at that moment.
func TestDashboard(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name string
		run  func(*testing.T, *env)
	}{
		{"SignIn", testSignIn},
		{"AssetsAndHeaders", testAssetsAndHeaders},
		{"RoleAccess", testRoleAccess},
		{"NotFoundPage", testNotFoundPage},
		{"OverviewShowsTheProjectionsNumbers", testOverviewShowsTheProjectionsNumbers},
		{"DeadlineFilters", testDeadlineFilters},
		{"NoticesAndLateEntriesShown", testNoticesAndLateEntriesShown},
		{"TrendsDrawTheThresholds", testTrendsDrawTheThresholds},
		{"StatewideTotals", testStatewideTotals},
		{"PartialIsTheLiveRegionsOnly", testPartialIsTheLiveRegionsOnly},
		{"AsOfPagesShowThePast", testAsOfPagesShowThePast},
		{"EventPage", testEventPage},
		{"RecordLinks", testRecordLinks},
		{"ConcernsPage", testConcernsPage},
		{"Exports", testExports},
		{"NoticesPage", testNoticesPage},
		{"AuditPageAndExports", testAuditPageAndExports},
		{"CrossSiteFormsAreRefused", testCrossSiteFormsAreRefused},             // northstar
		{"CorrectionRefusals", testCorrectionRefusals},                         // tongass
		{"RecordCorrection", testRecordCorrection},                             // kenai
		{"LiveChangesArriveWithinASecond", testLiveChangesArriveWithinASecond}, // northstar, tongass
		{"MountedBesideTheAPI", testMountedBesideTheAPI},
		{"RevokedTokenEndsTheSession", testRevokedTokenEndsTheSession},
		{"OverviewKeptForASecondAtMost", testOverviewKeptForASecondAtMost}, // northstar
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, e) })
	}
}
