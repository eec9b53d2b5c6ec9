package api

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/auth"
	"github.com/wsledger/wsledger/events"
)

// TokenAdmin manages API tokens (auth.Tokens).
type TokenAdmin interface {
	Create(ctx context.Context, g auth.Grant) (string, auth.Record, error)
	List(ctx context.Context) ([]auth.Record, error)
	Rotate(ctx context.Context, id string) (string, auth.Record, error)
	Revoke(ctx context.Context, id string) (auth.Record, error)
}

// tokenRequest is the body of POST /v1/tokens.
type tokenRequest struct {
	StaffID  string `json:"staff_id"`
	Role     string `json:"role"`
	Provider string `json:"provider"`
	Label    string `json:"label,omitempty"`
}

// issuedToken is the answer to a token created or rotated: the token, shown this once.
type issuedToken struct {
	Token  string      `json:"token"`
	Record auth.Record `json:"record"`
}

// tokenAdmin returns the token store when the principal administers tokens of provider (""
// for any of the principal's), answering the request itself otherwise.
func (s *Server) tokenAdmin(w http.ResponseWriter, r *http.Request, provider string) (TokenAdmin, bool) {
	p := principal(r)
	if p.Role != events.RoleAdmin || (provider != "" && p.Provider != auth.AllProviders && p.Provider != provider) {
		s.forbid(w, r, provider, "manage tokens", "", "Only an admin manages tokens, and an admin bound to a provider only that provider's.")
		return nil, false
	}
	if s.cfg.TokenAdmin == nil {
		writeStatusError(w, http.StatusServiceUnavailable, events.Errorf(events.Unavailable, "", "This server does not manage tokens."))
		return nil, false
	}
	return s.cfg.TokenAdmin, true
}

// listTokens handles GET /v1/tokens: every token the admin manages, revoked ones too.
func (s *Server) listTokens(w http.ResponseWriter, r *http.Request) {
	admin, ok := s.tokenAdmin(w, r, "")
	if !ok {
		return
	}
	list, err := admin.List(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	p := principal(r)
	out := []auth.Record{}
	for _, rec := range list {
		if p.Provider == auth.AllProviders || rec.Provider == p.Provider {
			out = append(out, rec)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"tokens": out})
}

// createToken handles POST /v1/tokens: a new token for a grant, shown once.
func (s *Server) createToken(w http.ResponseWriter, r *http.Request) {
	var req tokenRequest
	dec := json.NewDecoder(io.LimitReader(r.Body, 4<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		badRequest(w, "", "The body must be a JSON object with staff_id, role, provider and optionally label.")
		return
	}
	admin, ok := s.tokenAdmin(w, r, req.Provider)
	if !ok {
		return
	}
	g := auth.Grant{StaffID: req.StaffID, Role: req.Role, Provider: req.Provider, Label: req.Label}
	if err := g.Check(); err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := auth.CheckProviderExists(r.Context(), g, s.cfg.Log.Providers); err != nil {
		s.writeError(w, r, err)
		return
	}
	token, rec, err := admin.Create(r.Context(), g)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.cfg.Logger.Info("token created", "token", rec.ID, "role", rec.Role, "provider", rec.Provider, "by", principal(r).TokenID)
	writeJSON(w, http.StatusCreated, issuedToken{Token: token, Record: rec})
}

// rotateToken handles POST /v1/tokens/{id}/rotate: a new token with the same grant, the old
// one revoked.
func (s *Server) rotateToken(w http.ResponseWriter, r *http.Request) {
	s.changeToken(w, r, func(admin TokenAdmin, id string) (any, int, error) {
		token, rec, err := admin.Rotate(r.Context(), id)
		return issuedToken{Token: token, Record: rec}, http.StatusCreated, err
	})
}

// revokeToken handles POST /v1/tokens/{id}/revoke. The answer comes once the revocation is
// stored: from then on the token is refused by this process, and every open stream of it ends.
func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) {
	s.changeToken(w, r, func(admin TokenAdmin, id string) (any, int, error) {
		rec, err := admin.Revoke(r.Context(), id)
		return rec, http.StatusOK, err
	})
}

// changeToken finds the token of the path's id among those the admin manages and applies op.
func (s *Server) changeToken(w http.ResponseWriter, r *http.Request, op func(TokenAdmin, string) (any, int, error)) {
	admin, ok := s.tokenAdmin(w, r, "")
	if !ok {
		return
	}
	id := r.PathValue("id")
	if p := principal(r); p.Provider != auth.AllProviders {
		list, err := admin.List(r.Context())
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if !managed(list, id, p.Provider) {
			s.writeError(w, r, auth.ErrNoSuchToken)
			return
		}
	}
	out, status, err := op(admin, id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.cfg.Logger.Info("token changed", "route", r.Pattern, "token", id, "by", principal(r).TokenID)
	writeJSON(w, status, out)
}

func managed(list []auth.Record, id, provider string) bool {
	for _, rec := range list {
		if rec.ID == id {
			return rec.Provider == provider
		}
	}
	return false
}

// tokenError maps the token store's errors to the API's.
func tokenError(err error) (*events.Error, bool) {
	switch {
	case errors.Is(err, auth.ErrNoSuchToken):
		return events.Errorf(events.NotFound, "id", "No token has this id (see GET /v1/tokens)."), true
	case errors.Is(err, auth.ErrRevoked):
		return events.Errorf(events.Conflict, "id", "The token is revoked; create a new one."), true
	}
	return nil, false
}
