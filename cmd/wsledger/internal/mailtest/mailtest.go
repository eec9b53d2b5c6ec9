// Package mailtest is an SMTP server on loopback for tests (github.com/emersion/go-smtp): it
// keeps every message it accepts, can be stopped and started again on the same port to play a
// server that is down, and can hold a message before accepting it to play a client that dies
// in the middle of a send.
package mailtest

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/mail"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Message is one message the server accepted.
type Message struct {
	From       string
	To         []string
	MessageID  string
	Header     mail.Header
	Body       string
	AcceptedAt time.Time // just before the server answered the end of DATA
}

// Server is the test server.
type Server struct {
	Addr string // host:port on loopback

	mu       sync.Mutex
	srv      *smtp.Server
	messages []Message
	arrived  chan struct{} // closed and replaced at every message
	hold     chan struct{} // while not nil, DATA waits for it to close before accepting
	held     chan struct{} // closed when a message is being held
}

// Start starts a server on a free loopback port; it stops when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	s, ln := listen(t)
	s.serve(ln)
	return s
}

// Reserve returns a server on a free loopback port that is not yet listening: a mail server
// that is down. Start it with Up.
func Reserve(t testing.TB) *Server {
	t.Helper()
	s, ln := listen(t)
	ln.Close()
	return s
}

// listen takes a free loopback port for a server that stops when the test ends.
func listen(t testing.TB) (*Server, net.Listener) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Addr: ln.Addr().String(), arrived: make(chan struct{})}
	t.Cleanup(s.Stop)
	return s, ln
}

// Up starts listening on the server's port.
func (s *Server) Up(t testing.TB) {
	t.Helper()
	ln, err := net.Listen("tcp", s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	s.serve(ln)
}

func (s *Server) serve(ln net.Listener) {
	srv := smtp.NewServer(backend{s})
	srv.Domain, srv.AllowInsecureAuth = "mailtest.localhost", true
	srv.ReadTimeout, srv.WriteTimeout = time.Minute, time.Minute
	s.mu.Lock()
	s.srv = srv
	s.mu.Unlock()
	go func() { _ = srv.Serve(ln) }()
}

// Stop stops listening and drops open connections.
func (s *Server) Stop() {
	s.mu.Lock()
	srv := s.srv
	s.srv = nil
	s.mu.Unlock()
	if srv != nil {
		_ = srv.Close()
	}
}

// Hold makes the next message wait, read but not yet answered, until the returned release is
// called; held is closed once a message is waiting.
func (s *Server) Hold() (held <-chan struct{}, release func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hold, s.held = make(chan struct{}), make(chan struct{})
	h := s.hold
	return s.held, func() { close(h) }
}

// Messages returns the messages accepted so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// WaitFor waits until the server holds n messages or timeout passes, and returns them.
func (s *Server) WaitFor(n int, timeout time.Duration) ([]Message, error) {
	deadline := time.After(timeout)
	for {
		s.mu.Lock()
		got, arrived := append([]Message(nil), s.messages...), s.arrived
		s.mu.Unlock()
		if len(got) >= n {
			return got, nil
		}
		select {
		case <-arrived:
		case <-deadline:
			return got, errors.New("mailtest: too few messages arrived")
		}
	}
}

type backend struct{ s *Server }

func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{s: b.s}, nil }

type session struct {
	s    *Server
	from string
	to   []string
}

func (c *session) AuthMechanisms() []string { return nil }
func (c *session) Reset()                   { c.from, c.to = "", nil }
func (c *session) Logout() error            { return nil }

func (c *session) Mail(from string, _ *smtp.MailOptions) error {
	c.from = from
	return nil
}

func (c *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	c.to = append(c.to, to)
	return nil
}

func (c *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(m.Body)
	s := c.s
	s.mu.Lock()
	hold, held := s.hold, s.held
	s.hold, s.held = nil, nil
	s.mu.Unlock()
	if hold != nil {
		close(held)
		<-hold
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.messages = append(s.messages, Message{From: c.from, To: c.to, MessageID: m.Header.Get("Message-Id"),
		Header: m.Header, Body: string(body), AcceptedAt: time.Now()})
	close(s.arrived)
	s.arrived = make(chan struct{})
	return nil
}
