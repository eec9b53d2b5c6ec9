package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"slices"
	"strconv"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/auth"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/ledger"
	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
)

// Result is the answer to an accepted command, over HTTP and from wsledger submit.
type Result struct {
	OK        bool              `json:"ok"`
	Sequence  uint64            `json:"sequence"`
	Duplicate bool              `json:"duplicate,omitempty"`
	Events    []events.Envelope `json:"events"`
}

// ResultOf turns the service's result into the API's.
func ResultOf(r ledger.Result) Result {
	return Result{OK: true, Sequence: r.Sequence(), Duplicate: r.Duplicate, Events: r.Events}
}

// submitCommand handles POST /v1/commands: one JSON command. The token decides who acts: a
// command without an actor gets the token's; one with another actor is refused.
func (s *Server) submitCommand(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBody))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		writeStatusError(w, http.StatusRequestEntityTooLarge, events.Errorf(events.Invalid, "",
			"The request body is larger than %d bytes; send one command per request.", tooLarge.Limit))
		return
	}
	if err != nil {
		badRequest(w, "", "The request body could not be read.")
		return
	}
	p := principal(r)
	if !p.Owner {
		body = withActor(body, p.Actor())
	}
	cmd, err := ledger.Decode(body)
	if err != nil {
		s.metrics.command("", events.ErrorCode(err))
		s.writeError(w, r, err)
		return
	}
	h := cmd.Header()
	if reason := submitRefusal(p, h); reason != "" {
		s.metrics.command(h.Type, events.Forbidden)
		s.forbid(w, r, h.Provider, h.Type, "actor", reason)
		return
	}
	res, err := s.cfg.Service.Handle(r.Context(), cmd)
	s.metrics.command(h.Type, events.ErrorCode(err))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	status := http.StatusCreated
	if res.Duplicate {
		status = http.StatusOK
	}
	writeJSON(w, status, ResultOf(res))
}

// submitRefusal says why a principal may not submit a command, or "".
func submitRefusal(p auth.Principal, h *domain.Header) string {
	if p.Owner {
		return "" // the store's owner acts as the actor its command names
	}
	if h.Actor != p.Actor() {
		// The command's actor is not repeated: it is the sender's text and could be anything.
		return fmt.Sprintf("The command names another actor than the token's (%s, %s); a token submits only as its own member of staff.",
			p.StaffID, p.Role)
	}
	if !p.CanSubmit(h.Provider) {
		if p.Role == events.RoleCSQAAuditor {
			return "CSQA auditors read and verify the ledger but do not write to it."
		}
		return fmt.Sprintf("The token is for provider %s; it may not act for provider %s.", p.Provider, h.Provider)
	}
	return ""
}

// withActor gives a command object without an actor the token's. Anything that is not a JSON
// object is left alone for the decoder to refuse with its field-naming message.
func withActor(body []byte, actor events.Actor) []byte {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) < 2 || trimmed[0] != '{' || trimmed[len(trimmed)-1] != '}' || !json.Valid(trimmed) {
		return body // the decoder names what is wrong with it
	}
	var probe map[string]json.RawMessage
	if json.Unmarshal(trimmed, &probe) != nil {
		return body
	}
	if _, ok := probe["actor"]; ok {
		return body
	}
	// Splice the actor in before the closing brace rather than re-encode the object, so the
	// decoder still sees the body exactly as sent (a repeated key stays repeated).
	a, _ := json.Marshal(actor)
	out := append([]byte(nil), trimmed[:len(trimmed)-1]...)
	if len(probe) > 0 {
		out = append(out, ',')
	}
	out = append(out, `"actor":`...)
	out = append(out, a...)
	return append(out, '}')
}

// TooManyRefusals is the error code of a 429: the token was refused too often within the
// refusals' interval; Retry-After says when it may try again.
const TooManyRefusals = "too_many_refusals"

// forbid answers 403 and records the refusal (package refusals), or 429 with Retry-After once
// the token has been refused too often. The log line names the route, the role and the token's
// id, never the token.
func (s *Server) forbid(w http.ResponseWriter, r *http.Request, provider, action, field, reason string) {
	p := principal(r)
	s.metrics.denied(events.Forbidden)
	s.cfg.Logger.Info("access denied", slog.String("provider", provider), slog.String("action", action),
		slog.String("route", r.Pattern), slog.String("role", p.Role), slog.String("token", p.TokenID))
	if s.cfg.Refusals != nil {
		if wait := s.cfg.Refusals.Refuse(p, provider, r.Pattern, reason); wait > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
			writeStatusError(w, http.StatusTooManyRequests, &events.Error{Code: TooManyRefusals,
				Message: "This token was refused too often; it may try again after Retry-After seconds. Every refusal is recorded."})
			return
		}
	}
	writeStatusError(w, http.StatusForbidden, events.Errorf(events.Forbidden, field, "%s", reason))
}

// knownCommand returns t when it names a command, else "other": metric labels stay bounded.
func knownCommand(t string) string {
	if slices.Contains(domain.CommandTypes(), t) {
		return t
	}
	return "other"
}
