package natslog_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/events/natslog"
)

// TestHeadDuringCommitsIsNotDamage asks for provider heads while other providers' appends
// commit: a commit landing between reading the stream's last sequence and comparing it with
// the log's own must not be taken for a stream that lost its end.
func TestHeadDuringCommitsIsNotDamage(t *testing.T) {
	l := open(t, natslog.Options{DataDir: t.TempDir()})
	ctx := t.Context()
	const providers, rounds = 4, 200
	var wg sync.WaitGroup
	for i := range providers {
		p := fmt.Sprintf("p%d", i)
		wg.Go(func() {
			for range rounds {
				r := req("", note(1))
				r.Provider = p
				if _, err := l.Append(ctx, r); err != nil {
					t.Errorf("append %s: %v", p, err)
					return
				}
			}
		})
		wg.Go(func() {
			for range rounds {
				if _, err := l.Head(ctx, p); err != nil {
					t.Errorf("head %s: %v", p, err)
					return
				}
			}
		})
	}
	wg.Wait()
	if err := l.Damage(); err != nil {
		t.Fatalf("the log reports damage after heads read during commits: %v", err)
	}
	for i := range providers {
		r, err := events.Verify(ctx, l, fmt.Sprintf("p%d", i), nil)
		if err != nil || !r.Intact || r.Events != rounds {
			t.Fatalf("p%d: %+v, %v", i, r, err)
		}
	}
}
