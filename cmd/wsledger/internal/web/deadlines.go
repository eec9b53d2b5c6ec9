package web

import (
	"net/http"
	"net/url"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/auth"
	"github.com/wsledger/wsledger/projections"
)

// deadlinesData is the deadlines page: one page of the obligations the filter selects.
type deadlinesData struct {
	Provider string
	Filter   deadlineFilter
	Counts   projections.StatusCounts
	Rows     []deadlineRow
	Matched  int    // obligations the filter selects, on every page
	Next     string // the address of the next page; empty on the last
	Later    bool   // the page is not the first
	Selects  []filterSelect
	View     viewpoint
}

// deadlineFilter is the filter form's values; an empty value matches everything. Owner is
// managementOwner for the obligations that are management's as a whole.
type deadlineFilter struct{ Status, Kind, Owner string }

// Active reports whether any filter is set.
func (f deadlineFilter) Active() bool { return f != deadlineFilter{} }

// managementOwner is the filter value of obligations that are management's as a whole.
const managementOwner = projections.ManagementOwner

// filterSelect is one select of a filter form; its first choice, Any, matches everything.
type filterSelect struct {
	ID, Name, Label, Any string
	Options              []option
}

// option is one choice of a filter's select.
type option struct {
	Value, Label string
	Selected     bool
}

// deadlines serves one page of a provider's obligations (?after= the last of the page before),
// the unmet first, with the counts of all of them, now or as of a past instant.
func (d *Dashboard) deadlines(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	provider := r.PathValue("provider")
	q := r.URL.Query()
	f := deadlineFilter{Status: q.Get("status"), Kind: q.Get("kind"), Owner: q.Get("owner")}
	src, vp, ok := d.sourceFor(w, r, p, provider, d.cfg.Now())
	if !ok {
		return
	}
	now := src.At()
	dl, err := src.DeadlinePage(projections.DeadlineQuery{
		Status: f.Status, Kind: f.Kind, Owner: f.Owner, After: q.Get("after"), Limit: deadlineRows,
	})
	if d.failed(w, r, p, err) {
		return
	}
	kinds, owners, err := src.DeadlineKinds()
	if err != nil {
		d.serverError(w, r, p, err)
		return
	}
	data := deadlinesData{Provider: provider, Filter: f, Counts: dl.Counts, Matched: dl.Matched, Later: q.Get("after") != "", View: vp}
	for _, it := range dl.Items {
		row := newDeadlineRow(it, d.describe(it.Status, it.Due, it.MetAt, now))
		row.links(provider, canAudit(p, provider))
		data.Rows = append(data.Rows, row)
	}
	if dl.Next != "" {
		data.Next = data.page(dl.Next)
	}
	data.Selects = f.selects(kinds, owners)
	d.render(w, r, http.StatusOK, "deadlines", providerPage(r, p, provider, "Deadlines", "Deadlines of "+provider, vp, now, data))
}

// deadlineRows is how many obligations a page of the deadlines shows.
const deadlineRows = 100

// PageSize is how many obligations a page shows.
func (deadlinesData) PageSize() int { return deadlineRows }

// FirstPage is the address of the first page with the same filter.
func (d deadlinesData) FirstPage() string { return d.page("") }

// page is the address of the page that follows the obligation after, with the same filter and
// viewpoint.
func (d deadlinesData) page(after string) string {
	return d.View.with("/providers/"+url.PathEscape(d.Provider)+"/deadlines", d.Filter.values(after))
}

// Export is the address of the export of every obligation the filter selects, as format.
func (d deadlinesData) Export(format string) string {
	return d.View.with("/providers/"+url.PathEscape(d.Provider)+"/deadlines."+format, d.Filter.values(""))
}

// values is the filter's query, with the page to start after.
func (f deadlineFilter) values(after string) url.Values {
	return url.Values{"status": {f.Status}, "kind": {f.Kind}, "owner": {f.Owner}, "after": {after}}
}

// selects returns the filter form's selects: every status, and the kinds and owners that the
// provider's obligations have (each sorted), with the filter's choices selected.
func (f deadlineFilter) selects(kinds, owners []string) []filterSelect {
	status := filterSelect{ID: "f-status", Name: "status", Label: "Status", Any: "Any status"}
	for _, s := range append(append([]struct{ Value, Label string }{{projections.DeadlinesUnmet, "Not met yet"}}, statusNames...), struct{ Value, Label string }{projections.DeadlinesMet, "Met"}) {
		status.Options = append(status.Options, option{s.Value, s.Label, s.Value == f.Status})
	}
	kind := filterSelect{ID: "f-kind", Name: "kind", Label: "Kind", Any: "Any kind"}
	for _, k := range kinds {
		kind.Options = append(kind.Options, option{k, kindName(k), k == f.Kind})
	}
	owner := filterSelect{ID: "f-owner", Name: "owner", Label: "Owner", Any: "Anyone"}
	for _, o := range owners {
		value, label := o, o
		if o == "" {
			value, label = managementOwner, "Management (no one person)"
		}
		owner.Options = append(owner.Options, option{value, label, value == f.Owner})
	}
	return []filterSelect{status, kind, owner}
}
