package natslog_test

import (
	"errors"
	"sync"
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
	wantUnavailable(t, "append", err)
	// Reads of a store that does not answer are unavailable too, rather than internal faults.
	// Each waits for JetStream's request timeout, so they run at once.
	var wg sync.WaitGroup
	for what, read := range map[string]func() error{
		"last sequence": func() error { _, err := l.LastSequence(t.Context()); return err },
		"providers":     func() error { _, err := l.Providers(t.Context()); return err },
		"head":          func() error { _, err := l.Head(t.Context(), "other"); return err },
		"lookup":        func() error { _, _, err := l.Lookup(t.Context(), "other", "k"); return err },
		"read": func() error {
			for _, err := range l.Read(t.Context(), events.ReadOptions{}) {
				return err
			}
			return nil
		},
	} {
		wg.Go(func() { wantUnavailable(t, what, read()) })
	}
	wg.Wait()
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

func wantUnavailable(t *testing.T, what string, err error) {
	t.Helper()
	var e *events.Error
	if !errors.As(err, &e) || e.Code != events.Unavailable {
		t.Errorf("%s with the server stopped: %v, want code %s", what, err, events.Unavailable)
	}
}
