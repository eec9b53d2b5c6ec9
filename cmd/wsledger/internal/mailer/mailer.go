// Package mailer e-mails WSTA the notice of every resolved concern (WSPM due diligence E.2, E.5:
// "An e-mail including the client number and date of the CLNO entry must be sent to ... WSTA")
// and records, for each, that WSTA's mail server accepted it: the notice duty is met then.
//
// SMTP cannot promise exactly once. Every notice has one Message-ID, derived from its
// resolution's event id, for every attempt in this process or after a restart; a message is sent
// again only when the process stopped between the server's acceptance and the record of it, and
// the repeat carries the same Message-ID for the receiving side to drop. While the server is
// down the mailer retries with backoff.
package mailer

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"slices"
	"strings"
	"sync"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/ledger"
	"github.com/wsledger/wsledger/events"
)

// Actor is who the ledger records a delivery as: the ledger's own mailer, with the admin role
// the command needs.
var Actor = events.Actor{StaffID: "wsledger-mailer", Role: events.RoleAdmin}

// Config configures a Mailer.
type Config struct {
	Log     events.Log
	Service *ledger.Service // records the deliveries
	Server  Server
	To      string // WSTA's address
	From    string
	// MinBackoff and MaxBackoff bound the wait between attempts while the SMTP server or the
	// ledger does not answer; default 1 s and 1 minute.
	MinBackoff, MaxBackoff time.Duration
	// Timeout bounds one attempt to reach the server and hand it a message; default 1 minute.
	Timeout time.Duration
	Now     func() time.Time
	Logger  *slog.Logger
}

// Mailer sends the notices the log calls for.
type Mailer struct {
	cfg        Config
	mailDomain string

	mu       sync.Mutex
	pending  map[key]notice // resolutions not yet known delivered
	caughtUp bool           // the log was read up to where it ended at start
	wake     chan struct{}

	// afterAccept, when set, runs after the server accepted a message and before its delivery is
	// recorded; an error stops Run there, as if the process had died at that instant.
	afterAccept func(messageID string) error
}

type key struct{ provider, concern string }

// Check refuses addresses that are not e-mail addresses, naming the flag.
func (cfg Config) Check() error {
	if _, err := mail.ParseAddress(cfg.From); err != nil {
		return fmt.Errorf("--mail-from %q is not an e-mail address", cfg.From)
	}
	if _, err := mail.ParseAddress(cfg.To); err != nil {
		return fmt.Errorf("--wsta-mail-to %q is not an e-mail address", cfg.To)
	}
	return nil
}

// New checks the addresses and returns a mailer.
func New(cfg Config) (*Mailer, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	from, _ := mail.ParseAddress(cfg.From)
	if cfg.MinBackoff <= 0 {
		cfg.MinBackoff = time.Second
	}
	if cfg.MaxBackoff < cfg.MinBackoff {
		cfg.MaxBackoff = max(time.Minute, cfg.MinBackoff)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = time.Minute
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	_, domain, _ := strings.Cut(from.Address, "@")
	return &Mailer{cfg: cfg, mailDomain: domain, pending: map[key]notice{}, wake: make(chan struct{}, 1)}, nil
}

// errStopped is what Run returns when afterAccept stops it.
var errStopped = errors.New("mailer: stopped between the server's acceptance and its record")

// Run follows the log and sends every notice not yet delivered, oldest first, until ctx ends;
// then it returns nil. It sends nothing before it has read the log as far as it went when Run
// began, so that a notice delivered before a restart is not sent again. An event that cannot be
// read stops it with the error.
func (m *Mailer) Run(ctx context.Context) error {
	end, err := m.cfg.Log.LastSequence(ctx)
	if err != nil {
		return err
	}
	sending, stop := context.WithCancel(ctx)
	defer stop()
	read := make(chan error, 1)
	go func() {
		err := m.cfg.Log.Subscribe(sending, "", 1, func(e events.Envelope) error { return m.observe(e, end) })
		stop() // nothing more will be learnt
		read <- err
	}()
	if end == 0 {
		m.setCaughtUp()
	}
	err = m.send(sending)
	stop()
	if rerr := <-read; err == nil && ctx.Err() == nil {
		err = rerr
	}
	return err
}

// observe keeps the notices the log calls for: a resolution to be e-mailed adds one, its
// delivery removes it.
func (m *Mailer) observe(e events.Envelope, end uint64) error {
	if e.Type == events.TypeConcernResolved || e.Type == events.TypeWSTANoticeDelivered {
		p, err := events.Decode(e)
		if err != nil {
			return err
		}
		m.mu.Lock()
		switch p := p.(type) {
		case events.ConcernResolved:
			if p.Notice == events.NoticeEmail {
				m.pending[key{e.Provider, p.ConcernID}] = notice{seq: e.Sequence, eventID: e.ID, provider: e.Provider, resolved: e.OccurredAt, ConcernResolved: p}
			}
		case events.WSTANoticeDelivered:
			delete(m.pending, key{e.Provider, p.ConcernID})
		}
		m.mu.Unlock()
		m.signal()
	}
	if e.Sequence >= end {
		m.setCaughtUp()
	}
	return nil
}

func (m *Mailer) setCaughtUp() {
	m.mu.Lock()
	m.caughtUp = true
	m.mu.Unlock()
	m.signal()
}

func (m *Mailer) signal() {
	select {
	case m.wake <- struct{}{}:
	default:
	}
}

// next returns the oldest notice still pending, once the log has been read to its end at start.
func (m *Mailer) next() (notice, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.caughtUp || len(m.pending) == 0 {
		return notice{}, false
	}
	all := make([]notice, 0, len(m.pending))
	for _, n := range m.pending {
		all = append(all, n)
	}
	return slices.MinFunc(all, func(a, b notice) int { return cmp.Compare(a.seq, b.seq) }), true
}

// Pending returns how many notices wait to be accepted by the server, as far as the mailer has
// read the log.
func (m *Mailer) Pending() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.pending)
}

// send delivers the pending notices one at a time until ctx ends.
func (m *Mailer) send(ctx context.Context) error {
	for {
		n, ok := m.next()
		if !ok {
			select {
			case <-ctx.Done():
				return nil
			case <-m.wake:
				continue
			}
		}
		if err := m.deliver(ctx, n); err != nil {
			if ctx.Err() != nil && !errors.Is(err, errStopped) {
				return nil
			}
			return err
		}
	}
}

// deliver sends one notice until the server accepts it, then records the acceptance until the
// ledger has it. Only ctx ending (or the afterAccept stop) ends it early.
func (m *Mailer) deliver(ctx context.Context, n notice) error {
	msg, err := n.message(m.cfg.From, m.cfg.To, m.mailDomain)
	if err != nil {
		return err
	}
	id := "<" + n.messageID(m.mailDomain) + ">"
	log := m.cfg.Logger.With(slog.String("provider", n.provider), slog.String("message_id", id))
	var accepted time.Time
	if err := m.retry(ctx, log, "send the WSTA notice", func() error {
		var err error
		accepted, err = m.transmit(ctx, msg)
		return err
	}); err != nil {
		return err
	}
	log.Info("WSTA's mail server accepted the notice", slog.Time("accepted_at", accepted))
	if m.afterAccept != nil {
		if err := m.afterAccept(id); err != nil {
			return errors.Join(errStopped, err)
		}
	}
	cmd, err := json.Marshal(map[string]any{
		"type": "RecordWSTANoticeDelivered", "provider": n.provider, "idempotency_key": n.idempotencyKey(),
		"actor": Actor, "occurred_at": accepted.UTC().Format(time.RFC3339Nano),
		"concern_id": n.ConcernID, "message_id": id, "to": m.cfg.To,
	})
	if err != nil {
		return err
	}
	err = m.retry(ctx, log, "record the notice's delivery", func() error {
		_, err := m.cfg.Service.Submit(ctx, cmd)
		if c := events.ErrorCode(err); c != "" && c != events.Unavailable {
			log.Warn("the ledger refused the notice's delivery record", slog.String("code", c))
			return nil // the ledger knows better (already recorded): nothing to retry
		}
		return err
	})
	if err != nil {
		return err
	}
	log.Info("recorded the WSTA notice's delivery")
	m.mu.Lock()
	if p, ok := m.pending[key{n.provider, n.ConcernID}]; ok && p.eventID == n.eventID {
		delete(m.pending, key{n.provider, n.ConcernID})
	}
	m.mu.Unlock()
	return nil
}

// transmit hands the message to the server and returns the instant it accepted it: the reply to
// the end of DATA. Closing the connection afterwards may fail without undoing that.
func (m *Mailer) transmit(ctx context.Context, msg *gomail.Msg) (time.Time, error) {
	ctx, cancel := context.WithTimeout(ctx, m.cfg.Timeout)
	defer cancel()
	c, err := m.client()
	if err != nil {
		return time.Time{}, err
	}
	sc, err := c.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return time.Time{}, err
	}
	if err := c.SendWithSMTPClient(sc, msg); err != nil {
		_ = c.CloseWithSMTPClient(sc)
		return time.Time{}, err
	}
	accepted := m.cfg.Now()
	_ = c.CloseWithSMTPClient(sc)
	return accepted, nil
}

func (m *Mailer) client() (*gomail.Client, error) {
	s := m.cfg.Server
	opts := []gomail.Option{gomail.WithPort(s.Port), gomail.WithTimeout(m.cfg.Timeout)}
	switch s.Security {
	case ImplicitTLS:
		opts = append(opts, gomail.WithSSL())
	case Insecure:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(s.Username), gomail.WithPassword(s.Password))
	}
	return gomail.NewClient(s.Host, opts...)
}

// retry runs try until it succeeds or ctx ends, waiting longer after each failure, from
// MinBackoff up to MaxBackoff.
func (m *Mailer) retry(ctx context.Context, log *slog.Logger, what string, try func() error) error {
	wait := m.cfg.MinBackoff
	for attempt := 1; ; attempt++ {
		err := try()
		if err == nil {
			return nil
		}
		log.Warn("could not "+what+"; retrying", slog.Int("attempt", attempt), slog.Duration("in", wait), slog.Any("err", err))
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
		wait = min(2*wait, m.cfg.MaxBackoff)
	}
}
