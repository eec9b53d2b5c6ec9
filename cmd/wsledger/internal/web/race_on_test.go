//go:build race

package web

import "time"

// liveBound is how soon the browser test requires an open page to change after a form is sent.
// The race detector slows every goroutine several times over, so under it the bound is looser;
// the handler test still requires the change to leave the server within a second.
const liveBound = 3 * time.Second
