package cli

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// progress shows how far long work has got on one line of standard error, when that is a
// terminal; otherwise it stays quiet so that logs and pipes get only results.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	on    bool
	last  time.Time
	shown bool
}

func newProgress(env Env) *progress {
	f, ok := env.Stderr.(*os.File)
	on := false
	if ok {
		st, err := f.Stat()
		on = err == nil && st.Mode()&os.ModeCharDevice != 0
	}
	return &progress{w: env.Stderr, on: on}
}

// update shows a status line, at most ten times a second.
func (p *progress) update(format string, args ...any) {
	if p == nil || !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last = time.Now()
	p.shown = true
	fmt.Fprintf(p.w, "\r\033[K"+format, args...)
}

// done clears the status line.
func (p *progress) done() {
	if p == nil || !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
		p.shown = false
	}
}
