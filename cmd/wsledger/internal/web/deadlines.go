package web

import (
	"maps"
	"net/http"
	"slices"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/auth"
	"github.com/wsledger/wsledger/projections"
)

// deadlinesData is the deadlines page: every obligation, filtered.
type deadlinesData struct {
	Provider string
	Filter   deadlineFilter
	Counts   projections.StatusCounts
	Rows     []deadlineRow
	Total    int // obligations before filtering
	Selects  []filterSelect
}

// deadlineFilter is the filter form's values; an empty value matches everything.
type deadlineFilter struct{ Status, Kind, Owner string }

func (f deadlineFilter) matches(it projections.Deadline) bool {
	return (f.Status == "" || string(it.Status) == f.Status) &&
		(f.Kind == "" || it.Kind == f.Kind) &&
		(f.Owner == "" || it.Owner == f.Owner || (f.Owner == managementOwner && it.Owner == ""))
}

// Active reports whether any filter is set.
func (f deadlineFilter) Active() bool { return f != deadlineFilter{} }

// managementOwner is the filter value of obligations that are management's as a whole.
const managementOwner = "-"

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

func (d *Dashboard) deadlines(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	provider, now := r.PathValue("provider"), d.cfg.Now()
	dl, err := d.cfg.Views.Deadlines(provider, now)
	if err != nil {
		d.serverError(w, r, p, err)
		return
	}
	q := r.URL.Query()
	f := deadlineFilter{Status: q.Get("status"), Kind: q.Get("kind"), Owner: q.Get("owner")}
	data := deadlinesData{Provider: provider, Filter: f, Counts: dl.Counts, Total: len(dl.Items)}
	for _, it := range dl.Items {
		if f.matches(it) {
			data.Rows = append(data.Rows, deadlineRow{it, d.describe(it.Status, it.Due, it.MetAt, now)})
		}
	}
	data.Selects = f.selects(dl.Items)
	d.render(w, r, http.StatusOK, "deadlines", page{
		Title: "Deadlines of " + provider, User: &p, Nav: providerTabs(p, provider, "Deadlines"),
		Live: "provider:" + provider, At: now, Data: data,
	})
}

// selects returns the filter form's selects: every status, and the kinds and owners that the
// provider's obligations have, with the filter's choices selected.
func (f deadlineFilter) selects(items []projections.Deadline) []filterSelect {
	kinds, owners := map[string]bool{}, map[string]bool{}
	for _, it := range items {
		kinds[it.Kind] = true
		owners[it.Owner] = true
	}
	status := filterSelect{ID: "f-status", Name: "status", Label: "Status", Any: "Any status"}
	for _, s := range statusNames {
		status.Options = append(status.Options, option{s.Value, s.Label, s.Value == f.Status})
	}
	kind := filterSelect{ID: "f-kind", Name: "kind", Label: "Kind", Any: "Any kind"}
	for _, k := range slices.Sorted(maps.Keys(kinds)) {
		kind.Options = append(kind.Options, option{k, kindName(k), k == f.Kind})
	}
	owner := filterSelect{ID: "f-owner", Name: "owner", Label: "Owner", Any: "Anyone"}
	for _, o := range slices.Sorted(maps.Keys(owners)) {
		value, label := o, o
		if o == "" {
			value, label = managementOwner, "Management (no one person)"
		}
		owner.Options = append(owner.Options, option{value, label, value == f.Owner})
	}
	return []filterSelect{status, kind, owner}
}
