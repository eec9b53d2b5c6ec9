package reliability

import (
	"fmt"
	"testing"

	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/events/natslog"
	"github.com/wsledger/wsledger/events/natslog/natstest"
)

// TestVerifyAllOnHealthyCluster appends to the three-replica stream and verifies the whole store
// again and again right after each append, as an auditor might while the ledger runs. Nothing
// was removed or changed, so no verification may report anything.
func TestVerifyAllOnHealthyCluster(t *testing.T) {
	rounds := scale(20, 100)
	c := natstest.Start(t, 3)
	l := open(t, natslog.Options{URL: c.URLs(0), Replicas: 3})
	for i := range rounds {
		if _, err := appendAsClients(t.Context(), l, request("north", fmt.Sprintf("k-%d", i), 1+i%3)); err != nil {
			t.Fatal(err)
		}
		reports, err := events.VerifyAll(t.Context(), l)
		if err != nil {
			t.Fatalf("round %d: %v", i, err)
		}
		for _, r := range reports {
			if r.Tamper != nil {
				t.Fatalf("round %d: a healthy store reported as damaged: %v", i, r.Tamper)
			}
		}
	}
}
