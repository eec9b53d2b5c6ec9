package projections_test

import (
	"testing"

	"github.com/wsledger/wsledger/projections/runner"
)

// TestGoldenViews renders every view of the year-long fixture at goldenNow and compares it with the
// reviewed golden files.
func TestGoldenViews(t *testing.T) {
	log, _ := playFixtures(t)
	v, _ := running(t, log, runner.Options{Every: 50})
	for name, got := range liveViews(t, v, northStar, goldenNow).rendered(t) {
		golden(t, northStar+"."+name, got)
	}
	golden(t, "statewide", render(t, v.Statewide(goldenNow)))
}
