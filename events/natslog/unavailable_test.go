package natslog_test

import (
	"errors"
	"testing"

	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/events/natslog"
)

// TestAppendToAStoppedServerIsUnavailable stops the embedded server under an open log: the next
// append fails as unavailable (retry with the same key), not as an internal fault, and a retry
// once the store is back stores the command once.
func TestAppendToAStoppedServerIsUnavailable(t *testing.T) {
	dir := t.TempDir()
	l := open(t, natslog.Options{DataDir: dir})
	if _, err := l.Append(t.Context(), req("first", note(1))); err != nil {
		t.Fatal(err)
	}
	l.Server().Shutdown()
	l.Server().WaitForShutdown()
	_, err := l.Append(t.Context(), req("second", note(2)))
	var e *events.Error
	if !errors.As(err, &e) || e.Code != events.Unavailable {
		t.Fatalf("append to a stopped server: %v, want code %s", err, events.Unavailable)
	}
	l.Close()

	again := open(t, natslog.Options{DataDir: dir})
	for range 2 {
		if _, err := again.Append(t.Context(), req("second", note(2))); err != nil {
			t.Fatalf("retry: %v", err)
		}
	}
	if last, err := again.LastSequence(t.Context()); err != nil || last != 2 {
		t.Fatalf("last sequence %d (%v), want 2: the retried command stored once", last, err)
	}
}
