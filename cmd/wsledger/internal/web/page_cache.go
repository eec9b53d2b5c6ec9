package web

import (
	"net/http"
	"sync"
	"time"

	"github.com/wsledger/wsledger/projections"
)

// overviewCache keeps the overview pages rendered within the current second, so that the readers
// of a busy provider share one rendering instead of each running the templates (most of a page's
// CPU and memory). A kept page is reused only while the provider's attention stamp is unchanged
// (no event applied, no status changed since) and for the same viewer; what it computes from
// the instant (how late, how soon) is as of the instant it was rendered at, which its "As of"
// line shows, so a page is never more than a second behind the clock and never behind the ledger.
type overviewCache struct {
	mu     sync.Mutex
	second int64 // the Unix second the kept pages were rendered in
	pages  map[overviewKey][]byte
}

// overviewKey is what an overview page shows besides the instant: whose provider, as of which
// stamp, to whom (the header names the viewer and the tabs and actions follow the role), whole
// or only its live region.
type overviewKey struct {
	provider             string
	stamp                projections.AttentionStamp
	staff, role, allowed string
	partial              bool
}

// get returns the page kept for k if it was rendered in now's second.
func (c *overviewCache) get(k overviewKey, now time.Time) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.second != now.Unix() {
		return nil, false
	}
	page, ok := c.pages[k]
	return page, ok
}

// put keeps a copy of page, rendered at now, for k; the pages of earlier seconds are dropped.
func (c *overviewCache) put(k overviewKey, now time.Time, page []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s := now.Unix(); s != c.second {
		if s < c.second {
			return // rendered before a page of a later second was kept: let that one be
		}
		c.second, c.pages = s, map[overviewKey][]byte{}
	}
	c.pages[k] = append([]byte(nil), page...)
}

// writeHTML answers 200 with a rendered page.
func writeHTML(w http.ResponseWriter, page []byte) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(page)
}
