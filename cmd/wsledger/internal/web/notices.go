package web

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/auth"
	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/projections/wsta"
)

// Notices reads the notices the ledger publishes to WSTA (wsta.Feed).
type Notices interface {
	// Published returns the notices of a provider ("" for all) the WSTA stream stored since an
	// instant, oldest first, at most limit, and whether there were more.
	Published(ctx context.Context, provider string, since time.Time, limit int) ([]wsta.Published, bool, error)
	// Waiting returns the notices the ledger holds that are not published yet.
	Waiting(ctx context.Context, provider string) ([]wsta.Notice, error)
}

// noticesData is the WSTA page: the notices of the providers the viewer may read the feed of,
// newest first, with where each stands.
type noticesData struct {
	Providers []option
	Provider  string
	Since     string // YYYY-MM-DD, Alaska
	Rows      []noticeRow
	More      bool // the page shows the first noticeRows only
	CanOpen   func(provider string) bool
	Error     string
}

// noticeRow is one notice: what it is about and its delivery state.
type noticeRow struct {
	wsta.Notice
	About       string // the concern, report, month or review it is about
	PublishedAt time.Time
	Sequence    uint64 // in the WSTA stream; 0 while waiting
	State       statusText
	EventLink   string // the event's page, for those who may read the provider's history
}

// noticeRows bounds one WSTA page; noticeDays is how far back it looks unless told.
const (
	noticeRows = 500
	noticeDays = 30
)

// notices serves /wsta: the notices the manual requires to reach WSTA (resolved and forwarded
// concerns, DPA report and WSQR responses, QCIPs, staff rosters), of the providers whose feed the
// viewer may read, published to the WSTA stream since a day (30 days ago unless ?since=), and
// those the ledger holds but has not published yet; ?provider= narrows them to one provider.
func (d *Dashboard) notices(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	q := r.URL.Query()
	provider := q.Get("provider")
	if !p.CanReadFeed(provider) {
		d.forbidden(w, r, p, provider)
		return
	}
	now := d.cfg.Now()
	since := domain.DateOf(now).AddDays(-noticeDays)
	data := noticesData{Provider: provider, CanOpen: func(pr string) bool { return canAudit(p, pr) }}
	if s := q.Get("since"); s != "" {
		day, err := domain.ParseDate(s)
		if err != nil {
			data.Error = "The start date must be a real day written YYYY-MM-DD."
		} else {
			since = day
		}
	}
	data.Since = since.String()
	for _, pr := range d.cfg.Views.Providers() {
		if p.CanReadFeed(pr) {
			data.Providers = append(data.Providers, option{pr, pr, pr == provider})
		}
	}
	if d.cfg.Notices != nil {
		waiting, err := d.cfg.Notices.Waiting(r.Context(), provider)
		if err != nil {
			d.serverError(w, r, p, err)
			return
		}
		published, more, err := d.cfg.Notices.Published(r.Context(), provider, since.Start(), noticeRows)
		if err != nil {
			d.serverError(w, r, p, err)
			return
		}
		data.More = more
		for i := len(waiting) - 1; i >= 0; i-- {
			data.Rows = append(data.Rows, newNoticeRow(waiting[i], data.CanOpen, time.Time{}, 0))
		}
		for i := len(published) - 1; i >= 0; i-- {
			n := published[i]
			data.Rows = append(data.Rows, newNoticeRow(n.Notice, data.CanOpen, n.PublishedAt, n.StreamSequence))
		}
	}
	var tabs nav
	if p.Provider != auth.AllProviders {
		tabs = providerTabs(p, p.Provider, "WSTA notices", viewpoint{})
	} else {
		tabs = homeTabs(p)
		for i := range tabs.Tabs {
			tabs.Tabs[i].Current = tabs.Tabs[i].Label == "WSTA notices"
		}
	}
	d.render(w, r, http.StatusOK, "notices", page{Title: "WSTA notices", User: &p, Nav: tabs, At: now, Data: data})
}

func newNoticeRow(n wsta.Notice, canOpen func(string) bool, publishedAt time.Time, seq uint64) noticeRow {
	row := noticeRow{Notice: n, About: aboutOf(n.Event.Payload), PublishedAt: publishedAt, Sequence: seq,
		State: statusText{"ok", "✓", "In WSTA’s feed"}}
	if seq == 0 {
		row.State = statusText{string(domain.StatusDueSoon), "◷", "Waiting to be published"}
	}
	if canOpen(n.Provider) {
		row.EventLink = eventLink(n.Event)
	}
	return row
}

// aboutOf names what an event is about: its concern, report, review, month or period.
func aboutOf(payload []byte) string {
	var ids struct {
		ConcernID string `json:"concern_id"`
		ReportID  string `json:"report_id"`
		WSQRID    string `json:"wsqr_id"`
		Month     string `json:"month"`
		Period    string `json:"period"`
	}
	_ = json.Unmarshal(payload, &ids)
	for _, id := range []string{ids.ConcernID, ids.ReportID, ids.WSQRID, ids.Month, ids.Period} {
		if id != "" {
			return id
		}
	}
	return ""
}

// noticeKinds name the kinds of notice for people.
var noticeKinds = map[string]string{
	wsta.KindConcernResolved:   "Concern resolved",
	wsta.KindConcernForwarded:  "Concern forwarded",
	wsta.KindDPAReportResponse: "DPA report response",
	wsta.KindWSQRResponse:      "WSQR response",
	wsta.KindQCIP:              "QCIP",
	wsta.KindStaffRoster:       "Staff roster",
	wsta.KindDigest:            "Digest",
}

func noticeKind(kind string) string { return nameIn(noticeKinds, kind) }
