package mailer

import (
	"strings"
	"testing"
)

func TestParseServer(t *testing.T) {
	for _, tt := range []struct {
		url, password string
		want          string // Server.String(), or the error's fragment after "!"
	}{
		{"smtp://ledger@mail.example.org", "pw", "smtp://ledger@mail.example.org:587"},
		{"smtp://mail.example.org:2525", "", "smtp://mail.example.org:2525"},
		{"smtps://ledger@mail.example.org", "pw", "smtps://ledger@mail.example.org:465"},
		{"smtp+insecure://127.0.0.1:2525", "", "smtp+insecure://127.0.0.1:2525"},
		{"smtp+insecure://localhost", "", "smtp+insecure://localhost:25"},
		{"smtp://ledger:secret@mail.example.org", "", "!must not carry a password"},
		{"smtp://ledger@mail.example.org", "", "!no password was given"},
		{"smtp://mail.example.org", "pw", "!names no user"},
		{"smtp+insecure://mail.example.org", "", "!loopback only"},
		{"http://mail.example.org", "", "!scheme must be smtp"},
		{"smtp://mail.example.org:99999", "", "!not a port number"},
		{"smtp://mail.example.org/inbox", "", "!no path"},
		{"mail.example.org", "", "!must be a URL"},
	} {
		s, err := ParseServer(tt.url, tt.password)
		if frag, bad := strings.CutPrefix(tt.want, "!"); bad {
			if err == nil || !strings.Contains(err.Error(), frag) || strings.Contains(err.Error(), "secret") {
				t.Errorf("ParseServer(%q) = %v, %v; want an error with %q that does not repeat the password", tt.url, s, err, frag)
			}
			continue
		}
		if err != nil || s.String() != tt.want {
			t.Errorf("ParseServer(%q) = %v, %v; want %s", tt.url, s, err, tt.want)
		}
	}
}
