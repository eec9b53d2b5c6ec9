package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"sync"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/auth"
)

// Authenticator turns an API token into a principal (auth.Tokens). The dashboard signs people
// in with the same tokens, roles and providers as the API.
type Authenticator interface {
	Authenticate(ctx context.Context, token string) (auth.Principal, error)
	// Revoked returns a channel closed once the token of this id is known to be revoked.
	Revoked(tokenID string) <-chan struct{}
}

// Sessions last while in use, up to a working day: a session idle for sessionIdle, or older
// than sessionMax, is over and its holder signs in again.
const (
	sessionIdle = 2 * time.Hour
	sessionMax  = 12 * time.Hour
)

// session is a signed-in browser. The cookie carries only a random session id; the token stays
// in the server's memory so that every request can check it has not been revoked since.
type session struct {
	id        string
	principal auth.Principal
	token     string
	created   time.Time
	seen      time.Time
}

// sessions is the server-side session store. It lives in memory: a restart signs everyone out,
// and each wsledger process has its own sessions.
type sessions struct {
	now func() time.Time

	mu   sync.Mutex
	byID map[string]*session
}

func newSessions(now func() time.Time) *sessions {
	return &sessions{now: now, byID: map[string]*session{}}
}

// create starts a session for a principal and returns it.
func (s *sessions) create(p auth.Principal, token string) *session {
	id := make([]byte, 32)
	_, _ = rand.Read(id) // crypto/rand.Read never fails
	now := s.now()
	ses := &session{id: base64.RawURLEncoding.EncodeToString(id), principal: p, token: token, created: now, seen: now}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweep(now)
	s.byID[ses.id] = ses
	return ses
}

// get returns the live session with the id and marks it used.
func (s *sessions) get(id string) (*session, bool) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	ses, ok := s.byID[id]
	if !ok {
		return nil, false
	}
	if expired(ses, now) {
		delete(s.byID, id)
		return nil, false
	}
	ses.seen = now
	return ses, true
}

// end forgets a session.
func (s *sessions) end(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.byID, id)
}

// sweep forgets expired sessions; the caller holds mu.
func (s *sessions) sweep(now time.Time) {
	for id, ses := range s.byID {
		if expired(ses, now) {
			delete(s.byID, id)
		}
	}
}

func expired(s *session, now time.Time) bool {
	return now.Sub(s.seen) >= sessionIdle || now.Sub(s.created) >= sessionMax
}

// Cookie names. Over TLS the __Host- prefix makes the browser refuse a cookie that is not
// Secure, has a Domain, or has a Path other than "/".
const (
	cookiePlain = "wsledger_session"
	cookieTLS   = "__Host-wsledger_session"
)

func cookieName(r *http.Request) string {
	if r.TLS != nil {
		return cookieTLS
	}
	return cookiePlain
}

// setSessionCookie gives the browser the session id: HttpOnly so that scripts cannot read it,
// SameSite=Strict so that other sites' pages never send it, and Secure over TLS.
func setSessionCookie(w http.ResponseWriter, r *http.Request, id string) {
	http.SetCookie(w, &http.Cookie{
		Name: cookieName(r), Value: id, Path: "/", MaxAge: int(sessionMax / time.Second),
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode,
	})
}

func clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name: cookieName(r), Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode,
	})
}

func sessionID(r *http.Request) string {
	c, err := r.Cookie(cookieName(r))
	if err != nil {
		return ""
	}
	return c.Value
}
