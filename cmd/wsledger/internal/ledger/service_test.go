package ledger_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/ledger"
	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/events/natslog"
)

// now is Friday 20 March 2026, noon in Anchorage.
var now = time.Date(2026, 3, 20, 20, 0, 0, 0, time.UTC)

func clock() time.Time { return now }

func cmd(typ, role, staff, key, fields string) []byte {
	return fmt.Appendf(nil, `{"type":%q,"provider":"north","idempotency_key":%q,"actor":{"staff_id":%q,"role":%q},%s}`, typ, key, staff, role, fields)
}

var (
	register = cmd("RegisterProvider", "admin", "ad1", "k-reg", `"name":"North","region":"southcentral","occurred_at":"2026-01-05T09:00:00"`)
	roster   = cmd("SubmitStaffRoster", "program_manager", "pm1", "k-roster", `"month":"2026-03","staff":[
		{"staff_id":"pm1","name":"Pat","role":"program_manager"},
		{"staff_id":"cm1","name":"Cas","role":"case_manager","supervisor_id":"pm1"}]`)
	call = cmd("ReceiveClientCall", "case_manager", "cm1", "k-call", `"concern_id":"Q1","client_number":"12345678","summary":"benefit late"`)
)

func openLog(t *testing.T, dir string) *natslog.Log {
	t.Helper()
	l, err := natslog.Open(t.Context(), natslog.Options{DataDir: dir, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func submit(t *testing.T, s *ledger.Service, raw []byte) ledger.Result {
	t.Helper()
	res, err := s.Submit(t.Context(), raw)
	if err != nil {
		t.Fatalf("submit: %v\n%s", err, raw)
	}
	return res
}

func TestSubmit(t *testing.T) {
	dir := t.TempDir()
	log := openLog(t, dir)
	s := ledger.New(log, domain.DefaultPolicy(), clock)
	submit(t, s, register)
	submit(t, s, roster)
	first := submit(t, s, call)
	if len(first.Events) != 1 || first.Events[0].Type != "ClientCallReceived" || first.Duplicate {
		t.Fatalf("call recorded as %+v", first)
	}

	t.Run("idempotent retry", func(t *testing.T) {
		again := submit(t, s, call)
		if !again.Duplicate || again.Events[0].ID != first.Events[0].ID {
			t.Fatalf("retry gave %+v", again)
		}
	})
	t.Run("key reused for another command", func(t *testing.T) {
		_, err := s.Submit(t.Context(), cmd("ReceiveClientCall", "case_manager", "cm1", "k-call", `"concern_id":"Q2","client_number":"12345678","summary":"other"`))
		if events.ErrorCode(err) != events.Conflict {
			t.Fatalf("got %v, want a conflict", err)
		}
	})
	t.Run("expected version passed", func(t *testing.T) {
		_, err := s.Submit(t.Context(), cmd("ReturnClientCall", "case_manager", "cm1", "k-ret", `"concern_id":"Q1","expected_version":1`))
		if events.ErrorCode(err) != events.Conflict {
			t.Fatalf("got %v, want a conflict", err)
		}
	})
	t.Run("forbidden is refused and recorded", func(t *testing.T) {
		before, _ := log.LastSequence(t.Context())
		_, err := s.Submit(t.Context(), cmd("ReturnClientCall", "csqa_auditor", "au1", "k-aud", `"concern_id":"Q1"`))
		if events.ErrorCode(err) != events.Forbidden {
			t.Fatalf("got %v, want forbidden", err)
		}
		var last events.Envelope
		for e, err := range log.Read(t.Context(), events.ReadOptions{Provider: "north", From: before + 1}) {
			if err != nil {
				t.Fatal(err)
			}
			last = e
		}
		if last.Type != "AccessDenied" {
			t.Fatalf("the refusal was not recorded; last event is %q", last.Type)
		}
	})
	t.Run("invalid appends nothing", func(t *testing.T) {
		before, _ := log.LastSequence(t.Context())
		_, err := s.Submit(t.Context(), cmd("ReturnClientCall", "case_manager", "cm1", "k-bad", `"concern_id":"Q1","client_number":"12345678"`))
		if events.ErrorCode(err) != events.Invalid {
			t.Fatalf("got %v, want invalid", err)
		}
		if after, _ := log.LastSequence(t.Context()); after != before {
			t.Fatalf("an invalid command appended %d events", after-before)
		}
	})
	t.Run("retry after restart", func(t *testing.T) {
		log.Close()
		l2 := openLog(t, dir)
		s2 := ledger.New(l2, domain.DefaultPolicy(), clock)
		again := submit(t, s2, call)
		if !again.Duplicate || again.Events[0].ID != first.Events[0].ID {
			t.Fatalf("retry after restart gave %+v", again)
		}
		ret := submit(t, s2, cmd("ReturnClientCall", "case_manager", "cm1", "k-ret2", `"concern_id":"Q1"`))
		if ret.Events[0].Type != "ClientCallReturned" {
			t.Fatalf("return recorded as %s", ret.Events[0].Type)
		}
	})
}

// TestStaleService has two services (two wsledger processes) write one provider: the stale one
// learns what the other wrote and decides again.
func TestStaleService(t *testing.T) {
	a, err := natslog.Open(t.Context(), natslog.Options{DataDir: t.TempDir(), Listen: "127.0.0.1:-1", Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	b, err := natslog.Open(t.Context(), natslog.Options{URL: a.Server().ClientURL(), Replicas: 1, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	sa := ledger.New(a, domain.DefaultPolicy(), clock)
	sb := ledger.New(b, domain.DefaultPolicy(), clock)
	submit(t, sa, register)
	submit(t, sa, roster)
	submit(t, sb, call) // sb builds its state now, including the roster
	ret := cmd("ReturnClientCall", "case_manager", "cm1", "k-r", `"concern_id":"Q1"`)
	res := submit(t, sa, ret) // sa has not seen the call: it must catch up to accept the return
	if res.Events[0].Type != "ClientCallReturned" {
		t.Fatalf("got %s", res.Events[0].Type)
	}
	if dup := submit(t, sb, ret); !dup.Duplicate {
		t.Fatalf("retry through the other service appended again: %+v", dup)
	}
	r, err := events.Verify(t.Context(), a, "north", nil)
	if err != nil || !r.Intact || r.Events != 4 {
		t.Fatalf("verify: %+v, %v", r, err)
	}
}
