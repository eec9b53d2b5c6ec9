package web

import (
	"math"
	"net/http"
	"strconv"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/auth"
	"github.com/wsledger/wsledger/events"
)

// problem is the 403 and 404 pages' content.
type problem struct {
	Heading, Message string
	Home             string // where the principal's own pages start
}

// forbidden answers with the styled 403 page for a provider the principal may not see.
func (d *Dashboard) forbidden(w http.ResponseWriter, r *http.Request, p auth.Principal, provider string) {
	d.cfg.Logger.Info("dashboard: access denied", "provider", provider, "role", p.Role, "token", p.TokenID, "route", r.Pattern)
	if d.cfg.Refusals != nil {
		// Recorded like the API's refusals, outside the provider's history.
		if wait := d.cfg.Refusals.Refuse(p, provider, r.Pattern, "the sign-in does not cover this provider or page"); wait > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
			http.Error(w, "Too many pages were refused to this sign-in; try again in a minute.", http.StatusTooManyRequests)
			return
		}
	}
	d.render(w, r, http.StatusForbidden, "problem", page{
		Title: "Not allowed", User: &p, Nav: homeTabs(p), Data: problem{
			Heading: "You do not have access to this page",
			Message: "Your sign-in (" + roleName(p.Role) + ", " + scopeName(p) + ") does not cover this provider or this page. " +
				"If you need it, ask your program manager or the ledger’s administrator for a token that does.",
			Home: homePath(p),
		},
	})
}

// notFound answers with the styled 404 page.
func (d *Dashboard) notFound(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	d.render(w, r, http.StatusNotFound, "problem", page{
		Title: "Page not found", User: &p, Nav: homeTabs(p), Data: problem{
			Heading: "Page not found",
			Message: "There is no page at this address. It may have been mistyped, or the provider has no events in the ledger yet.",
			Home:    homePath(p),
		},
	})
}

// serverError logs err and answers with a plain 500 that keeps the detail out of the page. A
// provider that has no views yet is a 404.
func (d *Dashboard) serverError(w http.ResponseWriter, r *http.Request, p auth.Principal, err error) {
	if events.ErrorCode(err) == events.NotFound {
		d.notFound(w, r, p)
		return
	}
	d.cfg.Logger.Error("dashboard: request failed", "route", r.Pattern, "err", err)
	http.Error(w, "The dashboard could not complete the request; the operators have the details.", http.StatusInternalServerError)
}

// failed answers err, when there is one, and reports whether it did: a bad request (an invalid
// filter or page) is a 400 saying why, anything else serverError.
func (d *Dashboard) failed(w http.ResponseWriter, r *http.Request, p auth.Principal, err error) bool {
	switch {
	case err == nil:
		return false
	case events.ErrorCode(err) == events.Invalid:
		http.Error(w, err.(*events.Error).Message, http.StatusBadRequest)
	default:
		d.serverError(w, r, p, err)
	}
	return true
}

// homePath is where a principal's pages start: the statewide view, or their provider.
func homePath(p auth.Principal) string {
	if canViewStatewide(p) {
		return "/statewide"
	}
	if p.Provider != auth.AllProviders {
		return "/providers/" + p.Provider
	}
	return "/"
}

// homeTabs are the tabs shown on pages outside a provider.
func homeTabs(p auth.Principal) nav {
	if p.Provider != auth.AllProviders {
		return providerTabs(p, p.Provider, "", viewpoint{})
	}
	var tabs []tab
	if canViewStatewide(p) {
		tabs = append(tabs, tab{"/statewide", "Statewide", false})
	}
	if p.CanReadFeed("") {
		tabs = append(tabs, tab{"/wsta", "WSTA notices", false})
	}
	return nav{Tabs: tabs}
}

func scopeName(p auth.Principal) string {
	if p.Provider == auth.AllProviders {
		return "every provider"
	}
	return "provider " + p.Provider
}

// home sends a principal to where their pages start.
func (d *Dashboard) home(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	to := homePath(p)
	if to == "/" {
		d.forbidden(w, r, p, "")
		return
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}
