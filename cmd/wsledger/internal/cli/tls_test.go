package cli_test

import (
	"bufio"
	"crypto/tls"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/testcerts"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/tlsconf"
)

// clearText is the start of serve's warnings about listeners without TLS.
const clearText = "without TLS on a non-loopback address"

func TestServeWarnsOfClearTextBeyondLoopback(t *testing.T) {
	tests := []struct {
		name, http, nats string
		warnings         []string
	}{
		{"loopback", "127.0.0.1:0", "127.0.0.1:-1", nil},
		{"every address", "0.0.0.0:0", "0.0.0.0:-1", []string{"serving HTTP " + clearText, "NATS clients accepted " + clearText}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url, out := startServe(t, []string{"serve", "--data", t.TempDir(), "--http", tt.http, "--nats-listen", tt.nats})
			waitReady(t, url, "")
			log := out.String()
			if n := strings.Count(log, clearText); n != len(tt.warnings) {
				t.Errorf("%d warnings, want %d:\n%s", n, len(tt.warnings), log)
			}
			for _, w := range tt.warnings {
				if !strings.Contains(log, w) {
					t.Errorf("no warning %q:\n%s", w, log)
				}
			}
		})
	}
}

func TestServeHTTPS(t *testing.T) {
	c := testcerts.New(t)
	// serve reads its certificate from files of its own, which the last subtest renews.
	dir := t.TempDir()
	cert, key := filepath.Join(dir, "https.pem"), filepath.Join(dir, "https-key.pem")
	testcerts.Install(t, c.ServerCert, cert)
	testcerts.Install(t, c.ServerKey, key)
	s := serveDemoTLS(t, c.CA, "--tls-cert", cert, "--tls-key", key)
	if !strings.HasPrefix(s.url, "https://") {
		t.Fatalf("serving at %s", s.url)
	}
	pm := s.tokens["kenai-pm"]

	clients := []struct {
		name   string
		env    map[string]string
		args   []string
		code   int
		stdout string // a fragment, on success
		stderr string // a fragment, on failure
	}{
		{"--ca", map[string]string{"WSLEDGER_TOKEN": pm}, []string{"--server", s.url, "--ca", c.CA}, 0, "kenai", ""},
		{"$WSLEDGER_CA", map[string]string{"WSLEDGER_TOKEN": pm, "WSLEDGER_CA": c.CA}, []string{"--server", s.url}, 0, "kenai", ""},
		{"the system's authorities", map[string]string{"WSLEDGER_TOKEN": pm}, []string{"--server", s.url}, 1, "", "signed by an authority this machine does not trust: give that authority's certificate with --ca FILE or $WSLEDGER_CA"},
		{"another authority", map[string]string{"WSLEDGER_TOKEN": pm}, []string{"--server", s.url, "--ca", c.OtherCA}, 1, "", "give that authority's certificate with --ca"},
		{"plain HTTP to the HTTPS server", map[string]string{"WSLEDGER_TOKEN": pm}, []string{"--server", "http://" + strings.TrimPrefix(s.url, "https://")}, 1, "", "the server speaks HTTPS: give --server an https:// URL"},
		{"a program manager cannot read another provider over HTTPS", map[string]string{"WSLEDGER_TOKEN": pm, "WSLEDGER_CA": c.CA}, []string{"--server", s.url, "--provider", "tongass"}, 1, "", "forbidden"},
	}
	for _, tt := range clients {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t.Context(), "", tt.env, append([]string{"overview"}, tt.args...)...)
			if code != tt.code || !strings.Contains(out, tt.stdout) || !strings.Contains(errOut, tt.stderr) {
				t.Fatalf("exit %d, want %d; stdout %.200q, stderr %q", code, tt.code, out, errOut)
			}
		})
	}

	t.Run("submit over HTTPS", func(t *testing.T) {
		code, out, errOut := s.remote(t, "kenai-pm", `{"type":"ReceiveClientCall","provider":"kenai","idempotency_key":"tls-1","concern_id":"TLS-1","client_number":"55507777","summary":"Late payment."}`, "submit")
		if code != 0 || !strings.Contains(out, `"ok":true`) {
			t.Fatalf("exit %d: %s %s", code, out, errOut)
		}
		if strings.Contains(s.stderr.String(), "55507777") {
			t.Error("the server's log holds the client number")
		}
	})

	t.Run("TLS older than 1.2 is refused", func(t *testing.T) {
		conn, err := tls.Dial("tcp", strings.TrimPrefix(s.url, "https://"), &tls.Config{MaxVersion: tls.VersionTLS11, InsecureSkipVerify: true})
		if err == nil {
			conn.Close()
			t.Fatal("a TLS 1.1 handshake succeeded")
		}
	})

	t.Run("the dashboard's session cookie is Secure, with the __Host- prefix", func(t *testing.T) {
		browser := &http.Client{
			Transport:     &http.Transport{TLSClientConfig: tlsconf.Client(testcerts.Pool(t, c.CA), nil)},
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
		res, err := browser.PostForm(s.url+"/login", url.Values{"token": {pm}})
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		cookies := res.Cookies()
		if res.StatusCode != http.StatusSeeOther || len(cookies) != 1 || cookies[0].Name != "__Host-wsledger_session" || !cookies[0].Secure || !cookies[0].HttpOnly {
			t.Fatalf("status %d, cookies %v", res.StatusCode, cookies)
		}
	})

	t.Run("tokens appear only in the demo's listing", func(t *testing.T) {
		log := s.stderr.String()
		for staff, token := range s.tokens {
			if n := strings.Count(log, token); n != 1 {
				t.Errorf("%s's token appears %d times in the server's output", staff, n)
			}
		}
	})

	t.Run("a renewed certificate is served without a restart", func(t *testing.T) {
		renewed := testcerts.New(t) // from another authority, so that the old one no longer works
		testcerts.Install(t, renewed.ServerCert, cert)
		testcerts.Install(t, renewed.ServerKey, key)
		env := map[string]string{"WSLEDGER_TOKEN": pm, "WSLEDGER_SERVER": s.url}
		for _, tt := range []struct {
			ca   string
			code int
		}{{renewed.CA, 0}, {c.CA, 1}} {
			if code, _, errOut := run(t.Context(), "", env, "overview", "--ca", tt.ca); code != tt.code {
				t.Fatalf("with --ca %s: exit %d, want %d: %s", tt.ca, code, tt.code, errOut)
			}
		}
		if !strings.Contains(s.stderr.String(), "reloaded the certificate of --tls-cert") {
			t.Errorf("the reload was not logged:\n%s", s.stderr)
		}
	})
}

// plainClientRefused dials a NATS listener that requires TLS and speaks the protocol in clear
// text: the server must end the connection without answering PING.
func plainClientRefused(t *testing.T, addr string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	r := bufio.NewReader(conn)
	info, err := r.ReadString('\n')
	if err != nil || !strings.Contains(info, `"tls_required":true`) {
		t.Fatalf("INFO %q, %v: want tls_required", info, err)
	}
	if _, err := conn.Write([]byte("CONNECT {\"verbose\":false,\"user\":\"wsta\",\"pass\":\"x\"}\r\nPING\r\n")); err != nil {
		return // already closed
	}
	for {
		line, err := r.ReadString('\n')
		if strings.HasPrefix(line, "PONG") {
			t.Fatal("the server answered a client that did not use TLS")
		}
		if err != nil {
			return
		}
	}
}
