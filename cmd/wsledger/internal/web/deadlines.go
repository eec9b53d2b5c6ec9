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
	kinds, owners := map[string]bool{}, map[string]bool{}
	for _, it := range dl.Items {
		kinds[it.Kind] = true
		owners[it.Owner] = true
		if f.matches(it) {
			data.Rows = append(data.Rows, deadlineRow{it, d.describe(it.Status, it.Due, it.MetAt, now)})
		}
	}
	statuses := filterSelect{ID: "f-status", Name: "status", Label: "Status", Any: "Any status"}
	for _, s := range statusNames {
		statuses.Options = append(statuses.Options, option{s.Value, s.Label, s.Value == f.Status})
	}
	kindSel := filterSelect{ID: "f-kind", Name: "kind", Label: "Kind", Any: "Any kind"}
	for _, k := range slices.Sorted(maps.Keys(kinds)) {
		kindSel.Options = append(kindSel.Options, option{k, kindName(k), k == f.Kind})
	}
	ownerSel := filterSelect{ID: "f-owner", Name: "owner", Label: "Owner", Any: "Anyone"}
	for _, o := range slices.Sorted(maps.Keys(owners)) {
		value, label := o, o
		if o == "" {
			value, label = managementOwner, "Management (no one person)"
		}
		ownerSel.Options = append(ownerSel.Options, option{value, label, value == f.Owner})
	}
	data.Selects = []filterSelect{statuses, kindSel, ownerSel}
	d.render(w, r, http.StatusOK, "deadlines", page{
		Title: "Deadlines of " + provider, User: &p, Nav: providerTabs(p, provider, "Deadlines"),
		Live: "provider:" + provider, At: now, Data: data,
	})
}
