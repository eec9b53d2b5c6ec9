package bench

import (
	"testing"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/ledger"
	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events/natslog"
)

// TestWorkloadAccepted checks that every command the workload makes is accepted by the rules,
// across several months.
func TestWorkloadAccepted(t *testing.T) {
	log, err := natslog.Open(t.Context(), natslog.Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	svc := ledger.New(log, domain.DefaultPolicy(), time.Now)
	w := newWorkload("bench-a", 1, domain.Date{Year: 2024, Month: time.January, Day: 2})
	for i := range 3000 {
		raw := w.next()
		if _, err := svc.Submit(t.Context(), raw); err != nil {
			t.Fatalf("command %d refused: %v\n%s", i, err, raw)
		}
	}
	if w.month.String() < "2024-03" {
		t.Fatalf("the workload covered too little time: it reached %s", w.month)
	}
}
