package mailer

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// Security is how the connection to the SMTP server is protected.
type Security string

// The three ways wsledger speaks to an SMTP server, by the scheme of --smtp.
const (
	StartTLS    Security = "smtp"          // STARTTLS, required: the message never travels in clear
	ImplicitTLS Security = "smtps"         // TLS from the first byte
	Insecure    Security = "smtp+insecure" // no TLS at all, for a test server on loopback only
)

// Server is the SMTP server the notices go through.
type Server struct {
	Host     string
	Port     int
	Security Security
	Username string // empty: no authentication
	Password string
}

// ParseServer reads --smtp: smtp://[user@]host[:port] (STARTTLS required, port 587 by default),
// smtps://[user@]host[:port] (port 465) or smtp+insecure://host[:port] (port 25, loopback only).
// The password never comes in the URL: it is given apart (--smtp-password-file or
// $WSLEDGER_SMTP_PASSWORD) and needs a user.
func ParseServer(raw, password string) (Server, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return Server{}, errors.New("--smtp must be a URL such as smtp://user@mail.example.org:587")
	}
	s := Server{Security: Security(u.Scheme), Host: u.Hostname(), Password: password}
	switch s.Security {
	case StartTLS:
		s.Port = 587
	case ImplicitTLS:
		s.Port = 465
	case Insecure:
		s.Port = 25
	default:
		return Server{}, fmt.Errorf("--smtp's scheme must be smtp (STARTTLS required), smtps or smtp+insecure (loopback only), not %q", u.Scheme)
	}
	if p := u.Port(); p != "" {
		if s.Port, err = strconv.Atoi(p); err != nil || s.Port < 1 || s.Port > 65535 {
			return Server{}, fmt.Errorf("--smtp's port %q is not a port number", p)
		}
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return Server{}, errors.New("--smtp names a server only: no path, query or fragment")
	}
	if u.User != nil {
		if _, set := u.User.Password(); set {
			return Server{}, errors.New("--smtp must not carry a password: give it in --smtp-password-file or $WSLEDGER_SMTP_PASSWORD")
		}
		s.Username = u.User.Username()
	}
	if s.Password != "" && s.Username == "" {
		return Server{}, errors.New("an SMTP password was given but --smtp names no user (smtp://user@host)")
	}
	if s.Username != "" && s.Password == "" {
		return Server{}, fmt.Errorf("--smtp names user %s but no password was given: --smtp-password-file or $WSLEDGER_SMTP_PASSWORD", s.Username)
	}
	if s.Security == Insecure && !loopback(s.Host) {
		return Server{}, fmt.Errorf("smtp+insecure:// sends the notices, client numbers included, in clear: it is for a test server on loopback only, not %s", s.Host)
	}
	return s, nil
}

func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// String names the server without its password.
func (s Server) String() string {
	user := ""
	if s.Username != "" {
		user = s.Username + "@"
	}
	return string(s.Security) + "://" + user + net.JoinHostPort(s.Host, strconv.Itoa(s.Port))
}
