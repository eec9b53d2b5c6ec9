package web

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/auth"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/queries"
	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/projections"
)

// viewpoint is the instant a provider's pages show: now, or a past instant on a clock, carried
// in every link as ?as_of=...&clock=... (the API's parameters).
type viewpoint struct {
	AsOf  time.Time    // zero for now
	Clock events.Clock // the clock of AsOf
	Input string       // as_of as written, for the form
	Error string       // what was wrong with as_of or clock; the page then shows now
}

// readViewpoint reads ?as_of= and ?clock=, as the API reads them.
func readViewpoint(r *http.Request) viewpoint {
	q := r.URL.Query()
	vp := viewpoint{Clock: events.Recorded, Input: q.Get("as_of")}
	clock, err := queries.ParseClock(q.Get("clock"))
	if err != nil {
		vp.Error = err.(*events.Error).Message
		return vp
	}
	vp.Clock = clock
	if vp.Input == "" {
		return vp
	}
	at, err := queries.ParseAsOf(vp.Input)
	if err != nil {
		vp.Error = err.(*events.Error).Message
		return vp
	}
	vp.AsOf = at
	return vp
}

// Past reports whether the pages show a past instant rather than now.
func (vp viewpoint) Past() bool { return !vp.AsOf.IsZero() }

// Occurred reports whether the instant is on the occurred clock.
func (vp viewpoint) Occurred() bool { return vp.Clock == events.Occurred }

// FormValue is the as-of instant as the form's datetime-local field shows it, in Alaska.
func (vp viewpoint) FormValue() string {
	if !vp.Past() {
		return ""
	}
	return vp.AsOf.In(domain.Anchorage).Format("2006-01-02T15:04")
}

// Param is the as-of instant as links carry it: RFC 3339, to the nanosecond.
func (vp viewpoint) Param() string { return vp.AsOf.UTC().Format(time.RFC3339Nano) }

// values returns the viewpoint's query parameters; none for now.
func (vp viewpoint) values() url.Values {
	v := url.Values{}
	if vp.Past() {
		v.Set("as_of", vp.Param())
		v.Set("clock", string(vp.Clock))
	}
	return v
}

// To returns path with the viewpoint's parameters and the name-value pairs kv in its query.
func (vp viewpoint) To(path string, kv ...string) template.URL {
	more := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		more.Add(kv[i], kv[i+1])
	}
	return template.URL(vp.with(path, more))
}

// with returns path with the viewpoint's parameters and more added to its query.
func (vp viewpoint) with(path string, more url.Values) string {
	v := vp.values()
	for k, vs := range more {
		for _, x := range vs {
			if x != "" {
				v.Add(k, x)
			}
		}
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// source is what a provider's pages read: the live views at now, or the provider's views
// rebuilt as of a past instant (projections.Replay), which answer the same questions.
type source interface {
	At() time.Time
	Attention(limit int) (projections.Attention, error)
	DeadlinePage(q projections.DeadlineQuery) (projections.Deadlines, error)
	DeadlineKinds() (kinds, owners []string, err error)
	Coverage() (projections.Coverage, error)
	Accuracy() (projections.Accuracy, error)
	Measures() (projections.Measures, error)
	Concerns() (projections.Concerns, error)
	Overview() (projections.Overview, error)
}

// source returns what the provider's pages read at the viewpoint: now is the instant of a page
// of now.
func (d *Dashboard) source(ctx context.Context, provider string, vp viewpoint, now time.Time) (source, error) {
	if !vp.Past() {
		return live{v: d.cfg.Views, p: provider, now: now}, nil
	}
	r, err := d.cfg.Views.Replay(ctx, provider, vp.AsOf, vp.Clock)
	if err != nil {
		return nil, err
	}
	return replay{r}, nil
}

// sourceFor returns what a provider's page reads at the request's viewpoint, or at now for a
// page of now. When it cannot, it has answered: a viewpoint before the provider's first event is
// the 404 page saying so.
func (d *Dashboard) sourceFor(w http.ResponseWriter, r *http.Request, p auth.Principal, provider string, now time.Time) (source, viewpoint, bool) {
	vp := readViewpoint(r)
	src, err := d.source(r.Context(), provider, vp, now)
	switch {
	case err == nil:
		return src, vp, true
	case vp.Past() && events.ErrorCode(err) == events.NotFound:
		d.render(w, r, http.StatusNotFound, "problem", page{
			Title: "Nothing recorded yet", User: &p, Nav: providerTabs(p, provider, "", viewpoint{}), Data: problem{
				Heading: "Nothing recorded yet at that moment",
				Message: "The ledger holds no event of " + provider + " as of " + alaskaTime(vp.AsOf) + " on the " + string(vp.Clock) +
					" clock. Choose a later moment, or go back to now.",
				Home: "/providers/" + provider,
			},
		})
	default:
		d.serverError(w, r, p, err)
	}
	return nil, vp, false
}

// live reads the running views.
type live struct {
	v   *projections.Views
	p   string
	now time.Time
}

func (l live) At() time.Time { return l.now }
func (l live) Attention(limit int) (projections.Attention, error) {
	return l.v.Attention(l.p, l.now, limit)
}
func (l live) DeadlinePage(q projections.DeadlineQuery) (projections.Deadlines, error) {
	return l.v.DeadlinePage(l.p, l.now, q)
}
func (l live) DeadlineKinds() ([]string, []string, error) { return l.v.DeadlineKinds(l.p, l.now) }
func (l live) Coverage() (projections.Coverage, error)    { return l.v.Coverage(l.p) }
func (l live) Accuracy() (projections.Accuracy, error)    { return l.v.Accuracy(l.p) }
func (l live) Measures() (projections.Measures, error)    { return l.v.Measures(l.p) }
func (l live) Concerns() (projections.Concerns, error)    { return l.v.Concerns(l.p, l.now) }
func (l live) Overview() (projections.Overview, error)    { return l.v.Overview(l.p, l.now) }

// replay reads a provider's views rebuilt as of an instant.
type replay struct{ r *projections.Replay }

func (r replay) At() time.Time { return r.r.At }
func (r replay) Attention(limit int) (projections.Attention, error) {
	return r.r.Attention(limit), nil
}
func (r replay) DeadlinePage(q projections.DeadlineQuery) (projections.Deadlines, error) {
	return r.r.DeadlinePage(q)
}
func (r replay) DeadlineKinds() ([]string, []string, error) {
	k, o := r.r.DeadlineKinds()
	return k, o, nil
}
func (r replay) Coverage() (projections.Coverage, error) { return r.r.Coverage(), nil }
func (r replay) Accuracy() (projections.Accuracy, error) { return r.r.Accuracy(), nil }
func (r replay) Measures() (projections.Measures, error) { return r.r.Measures(), nil }
func (r replay) Concerns() (projections.Concerns, error) { return r.r.Concerns(), nil }
func (r replay) Overview() (projections.Overview, error) { return r.r.Overview(), nil }
