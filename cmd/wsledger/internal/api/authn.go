package api

import (
	"crypto/subtle"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/auth"
	"github.com/wsledger/wsledger/events"
)

// Unauthenticated is the error code of a 401: no token, or one the ledger does not know.
const Unauthenticated = "unauthenticated"

// authenticated admits requests that carry a valid bearer token and puts its principal in the
// request's context. A refusal is logged with the route only: tokens and addresses stay out of
// the log.
func (s *Server) authenticated(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := bearer(r)
		var p auth.Principal
		err := auth.ErrUnauthenticated
		switch {
		case ok && s.isOwner(token):
			p, err = auth.OwnerPrincipal(), nil
		case ok:
			p, err = s.cfg.Tokens.Authenticate(r.Context(), token)
		}
		if errors.Is(err, auth.ErrUnauthenticated) {
			s.cfg.Logger.Info("unauthenticated request", slog.String("route", r.Pattern))
			s.metrics.denied(Unauthenticated)
			w.Header().Set("WWW-Authenticate", `Bearer realm="wsledger"`)
			writeStatusError(w, http.StatusUnauthorized, &events.Error{Code: Unauthenticated,
				Message: "This request needs a valid bearer token: send Authorization: Bearer <token> (see wsledger token create)."})
			return
		}
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(auth.WithPrincipal(r.Context(), p)))
	})
}

// isOwner reports whether token is the store owner's secret.
func (s *Server) isOwner(token string) bool {
	return s.cfg.OwnerSecret != "" && subtle.ConstantTimeCompare([]byte(token), []byte(s.cfg.OwnerSecret)) == 1
}

// bearer returns the token of an "Authorization: Bearer <token>" header.
func bearer(r *http.Request) (string, bool) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// principal returns the authenticated principal of a request that passed authenticated.
func principal(r *http.Request) auth.Principal {
	p, _ := auth.PrincipalFrom(r.Context())
	return p
}
