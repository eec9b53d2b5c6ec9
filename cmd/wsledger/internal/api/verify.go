package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/checkpoints"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/verification"

	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/events/evidence"
)

// readableProvider returns the provider a read names in ?provider=, after checking it is well
// formed (400) and the principal may read it (403, recorded). With optional and no provider
// given it returns "" when the principal may read every provider.
func (s *Server) readableProvider(w http.ResponseWriter, r *http.Request, optional bool) (string, bool) {
	p := principal(r)
	provider := r.URL.Query().Get("provider")
	if provider == "" {
		if optional && p.CanReadAll() {
			return "", true
		}
		if p.Provider != "*" && p.CanRead(p.Provider) {
			return p.Provider, true
		}
		badRequest(w, "provider", "provider is required: the provider whose data to read.")
		return "", false
	}
	if err := events.CheckProvider(provider); err != nil {
		badRequest(w, "provider", "provider must be 1 to 40 lowercase letters, digits or '-', starting with a letter or digit.")
		return "", false
	}
	if !p.CanRead(provider) {
		reason := "The token may not read provider " + provider + "."
		if p.Role == events.RoleWSTA {
			reason = "WSTA tokens read the WSTA feed only."
		}
		s.forbid(w, r, provider, r.Pattern, "provider", reason)
		return "", false
	}
	return provider, true
}

// verify handles GET /v1/verify: the whole-store check (package verification) that the CLI and
// the dashboard run too: for one provider (?provider=), optionally against a digest
// (?position=&hash=) or a signed checkpoint someone kept (?checkpoint=<note>), or, for a
// principal who reads every provider, for the store and every provider. Damage found stops
// the ledger's appends (Config.Damaged), and /readyz says so; see storeDamage for which.
func (s *Server) verify(w http.ResponseWriter, r *http.Request) {
	held := r.URL.Query().Get("checkpoint")
	provider, ok := s.readableProvider(w, r, true)
	if !ok {
		return
	}
	o := verification.Options{Provider: provider, Held: []byte(held), HeldFrom: "the checkpoint given"}
	if held == "" {
		o.Held = nil
	}
	if provider != "" {
		if o.Digest, ok = anchorOf(w, r, provider); !ok {
			return
		}
	}
	var cps *checkpoints.Store
	own := ""
	if e := s.cfg.Evidence; e != nil {
		cps, own, o.Witnesses = e.Checkpoints, e.LedgerKey, e.Witnesses
	}
	// An auditor checks with the verifier key it trusts, not the one this server holds.
	o.LedgerKey = own
	if key := r.URL.Query().Get("verifier_key"); key != "" {
		if err := evidence.CheckVerifierKey(key); err != nil {
			badRequest(w, "verifier_key", "verifier_key must be the ledger's verifier key, as `wsledger verifier-key` prints it: %v", err)
			return
		}
		o.LedgerKey = key
	}
	res, err := verification.Run(r.Context(), s.cfg.Log, cps, o)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if !res.Intact() && s.cfg.Damaged != nil {
		if reason, found := s.storeDamage(r, res, cps, o, own); found {
			s.cfg.Damaged(reason)
		}
	}
	if provider == "" && held == "" {
		writeJSON(w, http.StatusOK, res)
		return
	}
	if len(res.Reports) == 0 {
		writeJSON(w, http.StatusOK, events.Report{Provider: provider, Head: events.Head{Provider: provider}})
		return
	}
	writeJSON(w, http.StatusOK, res.Reports[len(res.Reports)-1])
}

// storeDamage says whether a verification that was not intact found damage that must stop the
// ledger's appends. Only the store's own evidence and checkpoints the ledger signed (with own,
// the key this server holds) count: a digest (which anyone can write), a checkpoint that does
// not verify with the ledger's key, or another verifier key, given by the caller, shows the
// caller's copy wrong, not the store, and a reader could otherwise stop every write with a
// made-up one. When the caller gave any, the store is checked again without what does not count.
func (s *Server) storeDamage(r *http.Request, res verification.Result, cps *checkpoints.Store, o verification.Options, own string) (string, bool) {
	if o.Digest != nil || len(o.Held) > 0 || o.LedgerKey != own {
		o.Digest, o.LedgerKey = nil, own
		if len(o.Held) > 0 {
			if _, err := evidence.Open(o.Held, own); err != nil {
				o.Held = nil
			}
		}
		again, err := verification.Run(r.Context(), s.cfg.Log, cps, o)
		if err != nil {
			return "", false
		}
		res = again
	}
	for _, rep := range res.Reports {
		if rep.Tamper != nil {
			return "verify found " + rep.Tamper.Error(), true
		}
	}
	return "", false
}

// anchorOf reads an optional digest from ?position=&hash=.
func anchorOf(w http.ResponseWriter, r *http.Request, provider string) (*events.Digest, bool) {
	q := r.URL.Query()
	pos, hash := q.Get("position"), q.Get("hash")
	if pos == "" && hash == "" {
		return nil, true
	}
	n, err := strconv.ParseUint(pos, 10, 64)
	if err != nil || n == 0 {
		badRequest(w, "position", "position must be the digest's position, a whole number from 1.")
		return nil, false
	}
	if len(hash) != 64 {
		badRequest(w, "hash", "hash must be the digest's hash: 64 hexadecimal digits.")
		return nil, false
	}
	return &events.Digest{Provider: provider, Position: n, Hash: hash}, true
}

// digest handles GET /v1/digest: the provider's digest, which WSTA can keep to prove later that
// the history it is shown extends it. A damaged history has none (409).
func (s *Server) digest(w http.ResponseWriter, r *http.Request) {
	provider, ok := s.readableProvider(w, r, false)
	if !ok {
		return
	}
	d, err := events.ExportDigest(r.Context(), s.cfg.Log, provider, s.cfg.Now())
	s.answerDigest(w, r, http.StatusOK, d, err)
}

// answerDigest answers with a digest, or 409 when the history is damaged and has none.
func (s *Server) answerDigest(w http.ResponseWriter, r *http.Request, status int, d events.Digest, err error) {
	var tamper *events.Tamper
	if errors.As(err, &tamper) {
		writeStatusError(w, http.StatusConflict, events.Errorf(events.Conflict, "provider",
			"The provider's history is damaged, so it has no digest: %s", tamper.Error()))
		return
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, status, d)
}
