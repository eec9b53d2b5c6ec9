package natslog_test

import (
	"testing"

	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/events/natslog"
)

// TestHoldAppends: while appends are held they are refused as unavailable (a client retries),
// nothing is stored and Damage says why; once released, the same request is stored.
func TestHoldAppends(t *testing.T) {
	l := open(t, natslog.Options{DataDir: t.TempDir()})
	l.HoldAppends("checking the store")
	if _, err := l.Append(t.Context(), req("k1", note(1))); events.ErrorCode(err) != events.Unavailable {
		t.Fatalf("append while held: %v, want unavailable", err)
	}
	if err := l.Damage(); err == nil {
		t.Fatal("Damage says nothing while appends are held")
	}
	if last, err := l.LastSequence(t.Context()); err != nil || last != 0 {
		t.Fatalf("the stream's last sequence is %d (%v) after a held append, want 0", last, err)
	}
	l.ReleaseAppends()
	res, err := l.Append(t.Context(), req("k1", note(1)))
	if err != nil || res[0].Duplicate || l.Damage() != nil {
		t.Fatalf("append after the release: %+v, %v; damage %v", res, err, l.Damage())
	}
}
