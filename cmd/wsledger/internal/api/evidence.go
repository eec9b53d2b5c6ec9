package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/checkpoints"
	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/projections/trees"
)

// Evidence is what the checkpoint and proof endpoints answer from: every provider's tree, the
// stored checkpoints, the ledger's verifier key and the witnesses' keys.
type Evidence struct {
	Trees       *trees.Trees
	Checkpoints *checkpoints.Store
	LedgerKey   string
	Witnesses   []string
	// Sign, when set, signs a checkpoint of a provider's whole tree first, when it has events
	// its latest checkpoint does not cover and this process signs (checkpoints.Signer.SignNow).
	Sign func(ctx context.Context, provider string) error
	// CatchUp, when set, waits (a few seconds at most) until the trees hold every event the log
	// held when it was called, so that an event just appended can be proved.
	CatchUp func(ctx context.Context) error
}

// catchUp waits for the trees to hold what the log holds; a failure leaves the answer to what
// they hold.
func (e *Evidence) catchUp(ctx context.Context) {
	if e.CatchUp != nil {
		_ = e.CatchUp(ctx)
	}
}

// signFirst brings a provider's latest checkpoint up to its tree before an answer built on it.
// A failure is logged and the answer given from the checkpoint stored: signing goes on in the
// background.
func (s *Server) signFirst(r *http.Request, e *Evidence, provider string) {
	if e.Sign == nil {
		return
	}
	e.catchUp(r.Context())
	if e.Trees.Size(provider) == 0 {
		return
	}
	// A signing, once begun, publishes the checkpoint to the witnesses and stores it: a caller
	// that goes away must not cut it between the two.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), signTimeout)
	defer cancel()
	if err := e.Sign(ctx, provider); err != nil {
		s.cfg.Logger.Warn("could not sign a checkpoint before answering", "provider", provider, "err", err)
	}
}

// signTimeout bounds the signing a checkpoint or proof request waits for.
const signTimeout = 10 * time.Second

// evidenceProvider returns the provider of a checkpoint or proof request after checking the
// principal may see it: whoever reads the provider, and WSTA, whose witnesses check it.
func (s *Server) evidenceProvider(w http.ResponseWriter, r *http.Request, provider string) bool {
	p := principal(r)
	if err := events.CheckProvider(provider); err != nil {
		badRequest(w, "provider", "provider must be 1 to 40 lowercase letters, digits or '-', starting with a letter or digit.")
		return false
	}
	if !p.CanRead(provider) && !p.CanReadFeed(provider) {
		s.forbid(w, r, provider, r.Pattern, "provider", "The token may not read provider "+provider+".")
		return false
	}
	return true
}

// checkpoint handles GET /v1/checkpoints?provider=P: the provider's latest signed checkpoint
// with the witnesses that cosigned it.
func (s *Server) checkpoint(w http.ResponseWriter, r *http.Request) {
	e := s.cfg.Evidence
	if e == nil {
		s.writeError(w, r, events.Errorf(events.Unavailable, "", "This server keeps no checkpoints."))
		return
	}
	provider := r.URL.Query().Get("provider")
	if provider == "" {
		badRequest(w, "provider", "provider is required: the provider whose checkpoint to read.")
		return
	}
	if !s.evidenceProvider(w, r, provider) {
		return
	}
	s.signFirst(r, e, provider)
	info, err := e.Checkpoints.Info(r.Context(), provider, e.LedgerKey, e.Witnesses)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, info)
}

// proof handles GET /v1/proofs?event=ID (an inclusion proof in the provider's latest
// checkpoint, or with size=N in its signed checkpoint of size N) and
// GET /v1/proofs?provider=P&from=N&to=M (a consistency proof).
func (s *Server) proof(w http.ResponseWriter, r *http.Request) {
	e := s.cfg.Evidence
	if e == nil {
		s.writeError(w, r, events.Errorf(events.Unavailable, "", "This server keeps no trees."))
		return
	}
	q := r.URL.Query()
	if id := q.Get("event"); id != "" {
		provider, _, found := e.Trees.Find(id)
		if !found { // it may have been appended a moment ago
			e.catchUp(r.Context())
			provider, _, found = e.Trees.Find(id)
		}
		if found && !s.evidenceProvider(w, r, provider) {
			return
		}
		if found && !q.Has("size") {
			s.signFirst(r, e, provider) // the event may be newer than the latest checkpoint
		}
		var p checkpoints.InclusionProof
		var err error
		if q.Has("size") {
			p, err = checkpoints.ProveEventAt(r.Context(), e.Trees, e.Checkpoints, id, e.LedgerKey, q.Get("size"))
		} else {
			p, err = checkpoints.ProveEvent(r.Context(), e.Trees, e.Checkpoints, id, e.LedgerKey)
		}
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, p)
		return
	}
	provider := q.Get("provider")
	if provider == "" {
		badRequest(w, "event", "give event=ID for an inclusion proof, or provider, from and to for a consistency proof.")
		return
	}
	if q.Has("size") {
		badRequest(w, "size", "size applies to an inclusion proof (event=ID); a consistency proof takes from and to.")
		return
	}
	if !s.evidenceProvider(w, r, provider) {
		return
	}
	from, err1 := strconv.ParseInt(q.Get("from"), 10, 64)
	to, err2 := strconv.ParseInt(q.Get("to"), 10, 64)
	if err1 != nil || err2 != nil {
		badRequest(w, "from", "from and to must be tree sizes, whole numbers from 1.")
		return
	}
	p, err := checkpoints.ProveConsistency(e.Trees, provider, from, to)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}
