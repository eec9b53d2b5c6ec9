// Package ledger is wsledger's write path: it decodes a command, decides it against the
// provider's state with the domain rules, and appends the events to the log.
package ledger

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/domain/wire"
	"github.com/wsledger/wsledger/events"
)

// Service handles commands. It keeps each provider's decision state in memory, built from the
// log the first time the provider is named, and decides one command of a provider at a time;
// commands of different providers run concurrently and are group-committed by the log.
type Service struct {
	log    events.Log
	policy domain.Policy
	now    func() time.Time

	mu        sync.Mutex
	providers map[string]*provider

	shared *shared // set by Share: this process is one of several writing the ledger
}

type provider struct {
	mu    sync.Mutex
	state *domain.State
}

// Result is what a command appended (or, when Duplicate, had appended the first time).
type Result struct {
	Events    []events.Envelope `json:"events"`
	Duplicate bool              `json:"duplicate,omitempty"`
}

// Sequence returns the stream sequence of the command's last event.
func (r Result) Sequence() uint64 {
	if len(r.Events) == 0 {
		return 0
	}
	return r.Events[len(r.Events)-1].Sequence
}

// New returns a Service over log. now is the ledger's clock (time.Now in production).
func New(log events.Log, policy domain.Policy, now func() time.Time) *Service {
	return &Service{log: log, policy: policy, now: now, providers: map[string]*provider{}}
}

// staleRetries bounds how often a command is decided again after another writer moved the
// provider on.
const staleRetries = 5

// Submit decodes, decides and appends one JSON command. Errors are *events.Error: invalid,
// conflict, not_found, forbidden (a refusal that is itself recorded as AccessDenied) or
// unavailable (retry with the same idempotency key).
func (s *Service) Submit(ctx context.Context, raw []byte) (Result, error) {
	c, err := Decode(raw)
	if err != nil {
		return Result{}, err
	}
	return s.Handle(ctx, c)
}

// Command is a decoded command with its fingerprint and the bytes it was decoded from, which a
// process that does not write forwards to the one that does.
type Command struct {
	domain.Command
	Fingerprint string
	raw         []byte
}

// Decode decodes one JSON command. A key given twice is refused, naming it, before decoding,
// which on its own would keep the last.
func Decode(raw []byte) (Command, error) {
	cmd, fp, err := wire.DecodeFingerprinted(raw)
	if err != nil {
		return Command{}, err
	}
	return Command{Command: cmd, Fingerprint: fp, raw: raw}, nil
}

// Handle decides and appends a decoded command: here, or, when this process shares the ledger
// with others and another holds the writer lease, there (see Share).
func (s *Service) Handle(ctx context.Context, c Command) (Result, error) {
	if sh := s.shared; sh != nil && !sh.lease.Held() {
		return sh.forward(ctx, c)
	}
	return s.handle(ctx, c.Command, c.Fingerprint)
}

// handle decides and appends a command in this process. A command that lost the race for its
// provider to another writer staleRetries times is answered unavailable, never as a conflict:
// the client did not ask for a version, and a retry with the same key may well go through.
func (s *Service) handle(ctx context.Context, cmd domain.Command, fingerprint string) (Result, error) {
	h := cmd.Header()
	p, err := s.provider(ctx, h.Provider)
	if err != nil {
		return Result{}, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if h.IdempotencyKey != "" {
		first, ok, err := s.log.Lookup(ctx, h.Provider, h.IdempotencyKey)
		if err != nil {
			return Result{}, err
		}
		if ok {
			if first.Fingerprint != "" && first.Fingerprint != fingerprint {
				return Result{}, events.Errorf(events.Conflict, "idempotency_key",
					"The idempotency key was already used for a different command; use a new key for a new command.")
			}
			return Result{Events: first.Events, Duplicate: true}, nil
		}
	}
	for attempt := 0; ; attempt++ {
		now := s.now()
		drafts, err := domain.Decide(p.state, cmd, now, s.policy)
		if err != nil && attempt < staleRetries {
			// A refusal may come from a stale view when another writer shares the log: decide
			// again once the state has caught up with the provider's head.
			moved, cerr := s.refresh(ctx, p)
			if cerr != nil {
				return Result{}, cerr
			}
			if moved {
				continue
			}
		}
		if events.ErrorCode(err) == events.Forbidden {
			s.recordDenial(ctx, p, cmd, err, now)
			return Result{}, err
		}
		if err != nil {
			return Result{}, err
		}
		seq := p.state.Seq()
		res, err := s.log.Append(ctx, events.AppendRequest{
			Provider: h.Provider, Actor: h.Actor, IdempotencyKey: h.IdempotencyKey,
			Fingerprint: fingerprint, ExpectedSeq: &seq, Events: drafts,
		})
		if err != nil && staleVersion(err) {
			if attempt >= staleRetries {
				return Result{}, events.Errorf(events.Unavailable, "",
					"Other writers kept moving the provider's history on; retry the same request with the same idempotency key.")
			}
			// Another writer appended to this provider: learn what it wrote and decide again.
			if err := s.catchUp(ctx, p); err != nil {
				return Result{}, err
			}
			continue
		}
		if err != nil {
			return Result{}, err
		}
		out := Result{Events: res[0].Events, Duplicate: res[0].Duplicate}
		if !out.Duplicate {
			for i, e := range out.Events {
				// The draft's value is its payload decoded: applying it spares decoding it back.
				evolve := p.state.Evolve
				if v := drafts[i].Value; v != nil {
					evolve = func(e events.Envelope) error { return p.state.EvolveDecoded(e, v) }
				}
				if err := evolve(e); err != nil {
					return out, fmt.Errorf("ledger: apply appended event: %w", err)
				}
			}
		}
		return out, nil
	}
}

// staleVersion reports the conflict of an append whose expected sequence another writer
// passed. Called only with an error: the target of errors.As is allocated wherever it is
// declared.
func staleVersion(err error) bool {
	var conflict *events.Error
	return errors.As(err, &conflict) && conflict.Code == events.Conflict && conflict.Field == "expected_version"
}

// recordDenial appends an AccessDenied event for a command the rules refused. It is best
// effort: the refusal stands whether or not it could be recorded.
func (s *Service) recordDenial(ctx context.Context, p *provider, cmd domain.Command, refusal error, now time.Time) {
	var e *events.Error
	if errors.As(refusal, &e) && p.state.Registered() {
		_ = s.appendDenial(ctx, p, cmd.Header().Actor, domain.AccessDeniedDraft(cmd, e, now))
	}
}

// appendDenial appends a denial on the provider's current state, catching up once if another
// writer moved it on. The caller holds p.mu.
func (s *Service) appendDenial(ctx context.Context, p *provider, actor events.Actor, d events.Draft) error {
	for attempt := 0; ; attempt++ {
		seq := p.state.Seq()
		res, err := s.log.Append(context.WithoutCancel(ctx), events.AppendRequest{
			Provider: p.state.Provider(), Actor: actor, ExpectedSeq: &seq, Events: []events.Draft{d},
		})
		if events.ErrorCode(err) == events.Conflict && attempt == 0 {
			if err := s.catchUp(ctx, p); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return err
		}
		for _, e := range res[0].Events {
			if err := p.state.Evolve(e); err != nil {
				return err
			}
		}
		return nil
	}
}

// provider returns a provider's state, building it from the log the first time.
func (s *Service) provider(ctx context.Context, id string) (*provider, error) {
	if err := events.CheckProvider(id); err != nil {
		return nil, err
	}
	s.mu.Lock()
	p, ok := s.providers[id]
	if !ok {
		p = &provider{}
		s.providers[id] = p
	}
	s.mu.Unlock()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.state == nil {
		st := domain.NewState(id)
		if err := apply(ctx, s.log, st, 0); err != nil {
			return nil, err
		}
		p.state = st
	}
	return p, nil
}

// refresh catches the state up when the log holds newer events of the provider, and says
// whether it did.
func (s *Service) refresh(ctx context.Context, p *provider) (bool, error) {
	head, err := s.log.Head(ctx, p.state.Provider())
	if err != nil || head.Sequence <= p.state.Seq() {
		return false, err
	}
	return true, s.catchUp(ctx, p)
}

// catchUp applies the provider's events stored after its state's last one.
func (s *Service) catchUp(ctx context.Context, p *provider) error {
	return apply(ctx, s.log, p.state, p.state.Seq()+1)
}

func apply(ctx context.Context, log events.Log, st *domain.State, from uint64) error {
	for e, err := range log.Read(ctx, events.ReadOptions{Provider: st.Provider(), From: from}) {
		if err != nil {
			return err
		}
		if err := st.Evolve(e); err != nil {
			return fmt.Errorf("ledger: provider %s, sequence %d: %w", st.Provider(), e.Sequence, err)
		}
	}
	return nil
}
