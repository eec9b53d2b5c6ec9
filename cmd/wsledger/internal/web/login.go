package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/auth"
)

// loginData is the sign-in form.
type loginData struct {
	Next  string
	Error string
}

// maxTokenField bounds the token a form may post; real tokens are far shorter.
const maxTokenField = 512

func (d *Dashboard) loginForm(w http.ResponseWriter, r *http.Request) {
	if _, ok := d.principal(r); ok {
		http.Redirect(w, r, localPath(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	d.render(w, r, http.StatusOK, "login", page{Title: "Sign in", Data: loginData{Next: localPath(r.URL.Query().Get("next"))}})
}

// login checks the posted token and, when it is valid, starts a session and sends the browser
// on. The token itself never reaches a cookie, a URL or a log.
func (d *Dashboard) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	next := localPath(r.PostFormValue("next"))
	token := strings.TrimSpace(r.PostFormValue("token"))
	if token == "" || len(token) > maxTokenField {
		d.loginFailed(w, r, next, "Enter your API token.")
		return
	}
	p, err := d.cfg.Tokens.Authenticate(r.Context(), token)
	if errors.Is(err, auth.ErrUnauthenticated) {
		d.cfg.Logger.Info("dashboard: sign-in refused")
		d.loginFailed(w, r, next, "That token is not valid: it may be mistyped or revoked. Check it and try again.")
		return
	}
	if err != nil {
		d.cfg.Logger.Error("dashboard: sign-in could not check a token", "err", err)
		http.Error(w, "Signing in is not possible at the moment; try again shortly.", http.StatusServiceUnavailable)
		return
	}
	if old := sessionID(r); old != "" {
		d.sessions.end(old) // a new session id at every sign-in: no fixation
	}
	ses := d.sessions.create(p, token)
	setSessionCookie(w, r, ses.id)
	d.cfg.Logger.Info("dashboard: signed in", "staff", p.StaffID, "role", p.Role, "token", p.TokenID)
	if next == "/" {
		next = homePath(p)
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (d *Dashboard) loginFailed(w http.ResponseWriter, r *http.Request, next, msg string) {
	d.render(w, r, http.StatusUnauthorized, "login", page{Title: "Sign in", Data: loginData{Next: next, Error: msg}})
}

// logout ends the session.
func (d *Dashboard) logout(w http.ResponseWriter, r *http.Request) {
	if id := sessionID(r); id != "" {
		d.sessions.end(id)
	}
	clearSessionCookie(w, r)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
