//go:build !race

package web

import "time"

// liveBound is how soon the browser test requires an open page to change after a form is sent.
const liveBound = time.Second
