package bench

import (
	"testing"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/ledger"
	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events/natslog"
)

// BenchmarkSubmit is one writer's commands through the whole write path, for profiling
// (go test -bench Submit -cpuprofile cpu.out).
func BenchmarkSubmit(b *testing.B) {
	log, err := natslog.Open(b.Context(), natslog.Options{DataDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer log.Close()
	svc := ledger.New(log, domain.DefaultPolicy(), time.Now)
	w := newWorkload("prof", 1, domain.Date{Year: 2020, Month: time.January, Day: 2})
	for b.Loop() {
		if _, err := svc.Submit(b.Context(), w.next()); err != nil {
			b.Fatal(err)
		}
	}
}
