package ledger_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/ledger"
	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/events/natslog"
)

// racingLog is a real log beside which another ledger process records a call for the same
// provider just before each of this process's appends: every append this process makes is
// built on a provider the other has just moved on.
type racingLog struct {
	*natslog.Log
	rival *ledger.Service
	n     atomic.Int64
}

func (r *racingLog) Append(ctx context.Context, reqs ...events.AppendRequest) ([]events.AppendResult, error) {
	i := r.n.Add(1)
	if _, err := r.rival.Submit(ctx, cmd("ReceiveClientCall", "case_manager", "cm1", fmt.Sprintf("k-rival-%d", i),
		fmt.Sprintf(`"concern_id":"R%d","client_number":"12345678","summary":"benefit late"`, i))); err != nil {
		return nil, err
	}
	return r.Log.Append(ctx, reqs...)
}

// TestLosingEveryRaceIsUnavailable: a command without expected_version that loses the race for
// its provider every time it is decided is answered unavailable (retry with the same key), never
// as a conflict; and the same command goes through once the other writer stops.
func TestLosingEveryRaceIsUnavailable(t *testing.T) {
	dir := t.TempDir()
	log := natslogListening(t, dir)
	rivalLog, err := natslog.Open(t.Context(), natslog.Options{URL: log.Server().ClientURL(), Replicas: 1, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer rivalLog.Close()
	rival := ledger.New(rivalLog, domain.DefaultPolicy(), clock)
	submit(t, rival, register)
	submit(t, rival, roster)

	racing := &racingLog{Log: log, rival: rival}
	s := ledger.New(racing, domain.DefaultPolicy(), clock)
	_, err = s.Submit(t.Context(), call)
	if events.ErrorCode(err) != events.Unavailable {
		t.Fatalf("a command that lost every race: %v, want unavailable", err)
	}
	res := submit(t, ledger.New(log, domain.DefaultPolicy(), clock), call)
	if res.Duplicate || len(res.Events) != 1 {
		t.Fatalf("the retry once the race is over: %+v", res)
	}
}

func natslogListening(t *testing.T, dir string) *natslog.Log {
	t.Helper()
	l, err := natslog.Open(t.Context(), natslog.Options{DataDir: dir, Listen: "127.0.0.1:-1", Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}
