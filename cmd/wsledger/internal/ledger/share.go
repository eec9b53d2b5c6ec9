package ledger

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nuid"

	"github.com/wsledger/wsledger/events"
)

// WriterSubjectPrefix starts the subjects on which processes forward commands to the writer:
// wsledger.writer.<stream>.<process id>. Commands carry personal data and act as any actor, so
// only the ledger's own NATS user may publish or subscribe there (see natsauth).
const WriterSubjectPrefix = "wsledger.writer"

// ShareOptions configure Share.
type ShareOptions struct {
	// Stream is the ledger stream's name.
	Stream string
	// Replicas of the writer lease bucket when Share creates it.
	Replicas int
	// Campaign says whether this process takes the writer lease when nobody holds it: true for a
	// process that serves, false for a one-off command, which then writes itself only while no
	// other process writes.
	Campaign bool
	Logger   *slog.Logger
}

// forwardTimeout bounds a forwarded command: the writer's own append gives up well before it.
const forwardTimeout = 15 * time.Second

// forwardConcurrency caps the forwarded commands the writer decides at once.
const forwardConcurrency = 512

// shared is what a Service needs when it is one of several processes writing one ledger.
type shared struct {
	svc      *Service
	nc       *nats.Conn
	lease    *Lease
	campaign bool
	logger   *slog.Logger
	slots    chan struct{}
	ctx      context.Context // the life of the sharing: forwarded commands run in it
}

// Share makes s one of several processes writing the ledger on nc, so that commands never race
// each other across processes: the process holding the writer lease (see Lease) decides and
// appends every command, and the others forward theirs to it over NATS and answer with its
// result. Commands of one provider are therefore decided in one place, in the order they
// arrive, and commands of different providers group-commit together. The lease is kept, and
// forwarded commands are taken, until ctx ends; then the lease is given up. Call Share before
// the Service handles its first command.
func (s *Service) Share(ctx context.Context, nc *nats.Conn, js jetstream.JetStream, o ShareOptions) error {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Replicas <= 0 {
		o.Replicas = 1
	}
	id := nuid.Next()
	subject := WriterSubjectPrefix + "." + o.Stream + "." + id
	lease, err := newLease(ctx, js, o.Stream, o.Replicas, id, subject, o.Campaign, o.Logger)
	if err != nil {
		return err
	}
	sh := &shared{svc: s, nc: nc, lease: lease, campaign: o.Campaign, logger: o.Logger,
		slots: make(chan struct{}, forwardConcurrency), ctx: ctx}
	sub, err := nc.Subscribe(subject, sh.take)
	if err != nil {
		return fmt.Errorf("ledger: subscribe to forwarded commands: %w", err)
	}
	// Read (or take) the lease once before the first command, then keep it in the background.
	lease.step(ctx)
	s.shared = sh
	go func() {
		lease.run(ctx)
		_ = sub.Unsubscribe()
	}()
	return nil
}

// Writing reports whether this process decides and appends commands itself: it holds the
// writer lease, or it does not share the ledger. Work that one process does for all (signing
// checkpoints, saving snapshots) is done where this holds.
func (s *Service) Writing() bool {
	return s.shared == nil || s.shared.lease.Held()
}

// forwardReply is the writer's answer to a forwarded command.
type forwardReply struct {
	Result *Result       `json:"result,omitempty"`
	Error  *events.Error `json:"error,omitempty"`
	Moved  bool          `json:"moved,omitempty"` // the receiver no longer writes: ask the lease again
}

// forward sends a command to the process holding the lease and returns its answer. When the
// holder is gone (nobody answers at its subject) or no longer writes, it asks the lease again
// and sends to the new holder, or decides here once this process holds it.
func (sh *shared) forward(ctx context.Context, c Command) (Result, error) {
	ctx, cancel := context.WithTimeout(ctx, forwardTimeout)
	defer cancel()
	for {
		if sh.lease.Held() {
			return sh.svc.handle(ctx, c.Command, c.Fingerprint)
		}
		h, changed := sh.lease.Holder()
		if h.ID == "" {
			if !sh.campaign {
				// A one-off command with no writer to ask: the log's compare-and-set keeps it
				// correct beside any writer that appears meanwhile.
				return sh.svc.handle(ctx, c.Command, c.Fingerprint)
			}
			sh.lease.Check(ctx, holder{})
			if err := wait(ctx, changed); err != nil {
				return Result{}, err
			}
			continue
		}
		m, err := sh.nc.RequestWithContext(ctx, h.Subject, c.raw)
		if errors.Is(err, nats.ErrNoResponders) {
			sh.lease.Check(ctx, h)
			if err := wait(ctx, changed); err != nil {
				return Result{}, err
			}
			continue
		}
		if err != nil {
			sh.logger.Warn("a forwarded command got no answer from the writer", "err", err)
			return Result{}, unavailable()
		}
		var r forwardReply
		if err := json.Unmarshal(m.Data, &r); err != nil {
			return Result{}, fmt.Errorf("ledger: the writer's answer: %w", err)
		}
		switch {
		case r.Moved:
			sh.lease.Check(ctx, holder{})
			if err := wait(ctx, changed); err != nil {
				return Result{}, err
			}
		case r.Error != nil:
			return Result{}, r.Error
		case r.Result != nil:
			return *r.Result, nil
		default:
			return Result{}, errors.New("ledger: the writer's answer holds neither a result nor an error")
		}
	}
}

// wait waits until changed is closed or a moment has passed (the lease may be taken by this
// very process, which changes nothing another would see), or until ctx ends.
func wait(ctx context.Context, changed <-chan struct{}) error {
	t := time.NewTimer(leaseRenew / 4)
	defer t.Stop()
	select {
	case <-changed:
	case <-t.C:
	case <-ctx.Done():
		return unavailable()
	}
	return nil
}

func unavailable() error {
	return events.Errorf(events.Unavailable, "",
		"The ledger's writer did not answer in time or is changing; retry the same request with the same idempotency key.")
}

// take decides a forwarded command in its own goroutine, so that commands of different
// providers are decided concurrently and committed together.
func (sh *shared) take(m *nats.Msg) {
	select {
	case sh.slots <- struct{}{}:
	case <-sh.ctx.Done():
		return
	}
	go func() {
		defer func() { <-sh.slots }()
		reply := sh.decide(m.Data)
		data, err := json.Marshal(reply)
		if err == nil {
			err = m.Respond(data)
		}
		if err != nil {
			sh.logger.Warn("cannot answer a forwarded command", "err", err)
		}
	}()
}

func (sh *shared) decide(raw []byte) forwardReply {
	if !sh.lease.Held() {
		return forwardReply{Moved: true}
	}
	ctx, cancel := context.WithTimeout(sh.ctx, forwardTimeout)
	defer cancel()
	c, err := Decode(raw)
	var res Result
	if err == nil {
		// Decided here even if the lease moved meanwhile: the log's compare-and-set keeps it
		// correct, and sending it on could bounce between two processes.
		res, err = sh.svc.handle(ctx, c.Command, c.Fingerprint)
	}
	if err == nil {
		return forwardReply{Result: &res}
	}
	var e *events.Error
	if !errors.As(err, &e) {
		sh.logger.Error("a forwarded command failed", "err", err)
		e = events.Errorf(events.Internal, "", "The ledger could not complete the request; the operators have the details.")
	}
	return forwardReply{Error: e}
}
