package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/auth"
	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
)

// What each role sees. Provider staff see their own provider. CSQA auditors and admins with a
// token for every provider see the statewide view and any provider; WSTA, which oversees every
// provider, sees the same summaries read-only, but not the audit trail and its exports, which
// the API keeps to those who read a provider's full history (auth.Principal.CanRead).

// canView reports whether p may see a provider's overview, deadlines and trends.
func canView(p auth.Principal, provider string) bool {
	if p.Role == events.RoleWSTA {
		return p.Provider == auth.AllProviders || p.Provider == provider
	}
	return p.CanRead(provider)
}

// canViewStatewide reports whether p may see the statewide view.
func canViewStatewide(p auth.Principal) bool { return p.CanReadStatewide() }

// canAudit reports whether p may see and export a provider's audit trail.
func canAudit(p auth.Principal, provider string) bool { return p.CanRead(provider) }

// canCorrect reports whether p may record a correction for the provider.
func canCorrect(p auth.Principal, provider string) bool {
	return p.CanSubmit(provider) && domain.Allowed(p.Role, "CompleteCorrection")
}

// handler is a page handler for a signed-in principal.
type handler func(w http.ResponseWriter, r *http.Request, p auth.Principal)

// signedIn runs h for a request with a live session whose token is still valid, and sends
// anyone else to the sign-in form, remembering where they were going.
func (d *Dashboard) signedIn(h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ok := d.principal(r)
		if !ok {
			if sessionID(r) != "" {
				clearSessionCookie(w, r)
			}
			if r.URL.Path == "/live" || r.URL.Query().Has("partial") {
				http.Error(w, "Sign in again: the session has ended.", http.StatusUnauthorized)
				return
			}
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		h(w, r, p)
	})
}

// principal returns the principal of the request's session, checking its token again so that
// a revoked token ends the session at once. A session that has ended is forgotten.
func (d *Dashboard) principal(r *http.Request) (auth.Principal, bool) {
	id := sessionID(r)
	if id == "" {
		return auth.Principal{}, false
	}
	ses, ok := d.sessions.get(id)
	if !ok {
		return auth.Principal{}, false
	}
	p, err := d.cfg.Tokens.Authenticate(r.Context(), ses.token)
	if err != nil {
		if !errors.Is(err, auth.ErrUnauthenticated) {
			d.cfg.Logger.Error("dashboard: could not check a session's token", "err", err)
		}
		d.sessions.end(id)
		return auth.Principal{}, false
	}
	return p, true
}

// forProvider runs h for the provider named in the path when the principal may, by allowed;
// otherwise it answers with the 403 page. A provider that p may not see gets 403 whether or
// not it exists, so that the answer tells nothing about other providers.
func (d *Dashboard) forProvider(allowed func(auth.Principal, string) bool, h handler) http.Handler {
	return d.signedIn(func(w http.ResponseWriter, r *http.Request, p auth.Principal) {
		provider := r.PathValue("provider")
		if !allowed(p, provider) {
			d.forbidden(w, r, p, provider)
			return
		}
		if !d.known(provider) {
			d.notFound(w, r, p)
			return
		}
		h(w, r, p)
	})
}

// known reports whether the views hold a provider.
func (d *Dashboard) known(provider string) bool {
	if events.CheckProvider(provider) != nil {
		return false
	}
	for _, p := range d.cfg.Views.Providers() {
		if p == provider {
			return true
		}
	}
	return false
}

// localPath returns next when it is a path on this site, else "/": the sign-in form never
// sends anyone elsewhere.
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return next
}
