package web

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"net/http"
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
	Data any
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

// providerTabs are the tabs of a provider's pages, the current one marked.
func providerTabs(p auth.Principal, provider, current string) nav {
	base := "/providers/" + provider
	items := []tab{{base, "Overview", false}, {base + "/deadlines", "Deadlines", false}, {base + "/trends", "Trends", false}}
	if canAudit(p, provider) {
		items = append(items, tab{base + "/audit", "Audit trail", false})
	}
	if canViewStatewide(p) {
		items = append(items, tab{"/statewide", "Statewide", false})
	}
	for i := range items {
		items[i].Current = items[i].Label == current
	}
	return nav{Tabs: items}
}
