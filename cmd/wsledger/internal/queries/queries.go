// Package queries names the read models wsledger serves and prints (deadlines, coverage, rates,
// concerns, corrections, overview), each live from the running views or replayed as of an
// instant, and renders them as text, JSON or CSV. The HTTP API and the command line share it,
// so both answer the same question the same way.
package queries

import (
	"encoding/json"
	"io"
	"time"

	"github.com/wsledger/wsledger/projections"
)

// View is a read model's result.
type View interface {
	WriteText(w io.Writer) error
}

// Query is one read model of a provider.
type Query struct {
	Name, Summary string
	// Live reads the running views at now.
	Live func(v *projections.Views, provider string, now time.Time) (View, error)
	// Replay reads a provider's views rebuilt as of an instant.
	Replay func(r *projections.Replay) View
	// Decode reads the view's JSON, as the API sends it.
	Decode func(data []byte) (View, error)
	// Rows is the list the view's CSV has one line per element of.
	Rows func(v View) any
}

func query[T View](name, summary string, live func(*projections.Views, string, time.Time) (T, error), replay func(*projections.Replay) T, rows func(T) any) Query {
	return Query{
		Name: name, Summary: summary,
		Live: func(v *projections.Views, provider string, now time.Time) (View, error) {
			return live(v, provider, now)
		},
		Replay: func(r *projections.Replay) View { return replay(r) },
		Decode: func(data []byte) (View, error) {
			var t T
			err := json.Unmarshal(data, &t)
			return t, err
		},
		Rows: func(v View) any { return rows(v.(T)) },
	}
}

// All lists the provider read models.
var All = []Query{
	query("deadlines", "every obligation and its status: open, due soon, overdue, waiting for DPA, met on time or late",
		(*projections.Views).Deadlines, (*projections.Replay).Deadlines,
		func(d projections.Deadlines) any { return d.Items }),
	query("coverage", "file-review coverage by month, with the sample and each review's independence",
		func(v *projections.Views, p string, _ time.Time) (projections.Coverage, error) { return v.Coverage(p) },
		(*projections.Replay).Coverage,
		func(c projections.Coverage) any { return c.Months }),
	query("rates", "work-verification accuracy, performance confirmation and the six performance measures",
		liveRates, replayRates,
		func(r Rates) any { return r.measureRows() }),
	query("concerns", "client concerns: callbacks, resolutions, WSTA notices and forwards",
		(*projections.Views).Concerns, (*projections.Replay).Concerns,
		func(c projections.Concerns) any { return c.Items }),
	query("corrections", "negative findings and their corrections, by category and month",
		(*projections.Views).Corrections, (*projections.Replay).Corrections,
		func(c projections.Corrections) any { return c.Findings }),
	query("overview", "a provider's headline numbers",
		(*projections.Views).Overview, (*projections.Replay).Overview,
		func(o projections.Overview) any { return []projections.Overview{o} }),
}

// Find returns the query of a name.
func Find(name string) (Query, bool) {
	for _, q := range All {
		if q.Name == name {
			return q, true
		}
	}
	return Query{}, false
}
