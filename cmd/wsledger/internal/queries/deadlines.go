package queries

import (
	"net/url"
	"strconv"

	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/projections"
)

// DeadlineParams reads which page of deadlines a request asks for: ?status=, ?kind=, ?owner=,
// ?late_entries=, ?after= and ?limit=. A bad value is an events.Error naming its parameter.
func DeadlineParams(v url.Values) (projections.DeadlineQuery, error) {
	q := projections.DeadlineQuery{Status: v.Get("status"), Kind: v.Get("kind"), Owner: v.Get("owner"), After: v.Get("after")}
	if s := v.Get("late_entries"); s != "" {
		late, err := strconv.ParseBool(s)
		if err != nil {
			return q, events.Errorf(events.Invalid, "late_entries", "late_entries must be true or false.")
		}
		q.LateEntries = late
	}
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return q, events.Errorf(events.Invalid, "limit", "limit must be a whole number from 1 to %d.", projections.MaxDeadlineLimit)
		}
		q.Limit = n
	}
	return q, q.Check()
}

// DeadlineValues is the query string of a page of deadlines, as DeadlineParams reads it.
func DeadlineValues(q projections.DeadlineQuery) url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"status": q.Status, "kind": q.Kind, "owner": q.Owner, "after": q.After} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if q.Limit > 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	if q.LateEntries {
		v.Set("late_entries", "true")
	}
	return v
}
