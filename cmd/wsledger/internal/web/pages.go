package web

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/auth"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFS embed.FS

// page is what every page template receives.
type page struct {
	Title string
	User  *auth.Principal
	Nav   nav
	// Live is the scope of live updates ("provider:ID" or "statewide"); empty for none.
	Live string
	At   time.Time
	// AsOf is the as-of control of a provider's pages; nil elsewhere.
	AsOf *asOfControl
	Data any
}

// asOfControl is the form that replays a provider's page as of a past instant, and the banner
// that says a page shows the past.
type asOfControl struct {
	View   viewpoint
	Action string   // the page's own path
	Keep   []hidden // the page's other parameters (its filters), kept through the form
	Now    string   // the same page, now
}

type hidden struct{ Name, Value string }

// providerPage frames a provider's page at a viewpoint: its tabs keep the viewpoint, the as-of
// control keeps the page's filters, and only a page of now updates live.
func providerPage(r *http.Request, p auth.Principal, provider, tab, title string, vp viewpoint, at time.Time, data any) page {
	pg := page{Title: title, User: &p, Nav: providerTabs(p, provider, tab, vp), At: at, Data: data,
		AsOf: &asOfControl{View: vp, Action: r.URL.Path, Now: r.URL.Path}}
	keep := url.Values{}
	for name, values := range r.URL.Query() {
		switch name {
		case "as_of", "clock", "partial", "after", "page", "recorded":
			continue
		}
		for _, v := range values {
			pg.AsOf.Keep = append(pg.AsOf.Keep, hidden{name, v})
			keep.Add(name, v)
		}
	}
	slices.SortFunc(pg.AsOf.Keep, func(a, b hidden) int { return strings.Compare(a.Name+"\x00"+a.Value, b.Name+"\x00"+b.Value) })
	if len(keep) > 0 {
		pg.AsOf.Now += "?" + keep.Encode()
	}
	if !vp.Past() {
		pg.Live = "provider:" + provider
	}
	return pg
}

// nav is the row of tabs under the header.
type nav struct{ Tabs []tab }

type tab struct {
	Href, Label string
	Current     bool
}

// pages holds one template set per page: the layout and partials, and the page's own "main".
type pages struct{ byName map[string]*template.Template }

var funcs = template.FuncMap{
	"alaskaTime": alaskaTime,
	"alaskaDate": alaskaDate,
	"dueTime":    dueTime,
	"isoTime":    isoTime,
	"periodName": periodName,
	"kindName":   kindName,
	"roleName":   roleName,
	"sourceName": sourceName,
	"shortHash":  shortHash,
	"noticeKind": noticeKind,
	"recordAt":   recordAt,
	"more":       newMoreLink,

	"verificationName": verificationName,
}

// mustParsePages parses every page template with the layout and the partials. The templates
// are embedded, so a parse error is a programming error caught by any test.
func mustParsePages() *pages {
	base := template.Must(template.New("").Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", "templates/partial_*.html"))
	names, err := fs.Glob(templateFiles, "templates/page_*.html")
	if err != nil {
		panic(err)
	}
	ps := &pages{byName: map[string]*template.Template{}}
	for _, name := range names {
		t := template.Must(template.Must(base.Clone()).ParseFS(templateFiles, name))
		ps.byName[name[len("templates/page_"):len(name)-len(".html")]] = t
	}
	return ps
}

// render writes a page with the status, or only its live regions when the request asks for
// the partial (?partial=1), as the live-update script does.
func (d *Dashboard) render(w http.ResponseWriter, r *http.Request, status int, name string, pg page) {
	buf, ok := d.renderPage(w, r, name, pg)
	if !ok {
		return
	}
	defer putRenderBuffer(buf)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// renderPage renders a page, or its live regions, into a buffer of renderBuffers that the caller
// puts back. When the templates fail it answers 500 itself and returns false.
func (d *Dashboard) renderPage(w http.ResponseWriter, r *http.Request, name string, pg page) (*bytes.Buffer, bool) {
	t, ok := d.pages.byName[name]
	if !ok {
		panic("web: no page template " + name)
	}
	root := "layout"
	if r.URL.Query().Has("partial") {
		root = "live"
	}
	buf := renderBuffers.Get().(*bytes.Buffer)
	if err := t.ExecuteTemplate(buf, root, pg); err != nil {
		putRenderBuffer(buf)
		d.cfg.Logger.Error("dashboard: render page", "page", name, "err", err)
		http.Error(w, "The page could not be shown; the operators have the details.", http.StatusInternalServerError)
		return nil, false
	}
	return buf, true
}

// renderBuffers holds the buffers pages are rendered into before they are sent (so that a
// failed render sends only an error), saving a page's worth of growing buffers per request.
var renderBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// putRenderBuffer returns buf to renderBuffers unless a rare huge page made it too big to keep.
func putRenderBuffer(buf *bytes.Buffer) {
	if buf.Cap() > 1<<20 {
		return
	}
	buf.Reset()
	renderBuffers.Put(buf)
}

// staticFiles serves the embedded stylesheet, script and icon; no directory listings.
func staticFiles() http.Handler {
	files := http.FileServerFS(staticFS)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=300")
		files.ServeHTTP(w, r)
	})
}

// providerTabs are the tabs of a provider's pages, the current one marked; they keep the
// viewpoint, so that moving between a provider's pages stays in the past.
func providerTabs(p auth.Principal, provider, current string, vp viewpoint) nav {
	base := "/providers/" + provider
	items := []tab{
		{vp.with(base, nil), "Overview", false}, {vp.with(base+"/deadlines", nil), "Deadlines", false},
		{vp.with(base+"/concerns", nil), "Concerns", false}, {vp.with(base+"/trends", nil), "Trends", false},
	}
	if canAudit(p, provider) {
		items = append(items, tab{vp.with(base+"/audit", nil), "Audit trail", false})
	}
	if p.CanReadFeed(provider) {
		items = append(items, tab{"/wsta?provider=" + url.QueryEscape(provider), "WSTA notices", false})
	}
	if canViewStatewide(p) {
		items = append(items, tab{"/statewide", "Statewide", false})
	}
	for i := range items {
		items[i].Current = items[i].Label == current
	}
	return nav{Tabs: items}
}
