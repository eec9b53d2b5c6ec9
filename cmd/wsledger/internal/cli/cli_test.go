package cli_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/cli"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/testcerts"
)

// run runs the command line in-process and returns its exit status and output.
func run(ctx context.Context, stdin string, env map[string]string, args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := cli.Main(ctx, args, cli.Env{
		Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut,
		Getenv: func(k string) string { return env[k] },
	})
	return code, out.String(), errOut.String()
}

func TestUsage(t *testing.T) {
	dir := t.TempDir()
	c := testcerts.New(t)
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string // a fragment
	}{
		{"no command", nil, 2, "Usage:"},
		{"unknown command", []string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{"help", []string{"help"}, 0, ""},
		{"help of a command", []string{"help", "submit"}, 0, "usage: wsledger submit"},
		{"-h", []string{"verify", "-h"}, 0, "usage: wsledger verify"},
		{"unknown flag", []string{"deadlines", "--colour", "red"}, 2, "flag provided but not defined: -colour"},
		{"stray argument", []string{"verify", "north"}, 2, `unexpected argument "north"`},
		{"bad format", []string{"deadlines", "--format", "xml", "--data", dir}, 2, "--format must be table, json or csv"},
		{"bad clock", []string{"coverage", "--clock", "wall", "--data", dir}, 2, "--clock must be recorded or occurred"},
		{"bad as-of", []string{"concerns", "--as-of", "yesterday", "--data", dir}, 2, "--as-of must be"},
		{"bad sync", []string{"verify", "--sync", "sometimes", "--data", dir}, 2, "--sync must be default or always"},
		{"data and nats", []string{"verify", "--data", dir, "--nats", "nats://127.0.0.1:1"}, 2, "not both"},
		{"feed credentials on the embedded store", []string{"verify", "--data", dir, "--feed-creds", "feed.creds"}, 2, "--creds and --feed-creds apply to --nats only"},
		{"server without token", []string{"rates", "--server", "http://127.0.0.1:1"}, 2, "--server needs a token"},
		{"size with a consistency proof", []string{"prove", "--provider", "north", "--consistency", "--from", "1", "--to", "2", "--size", "2", "--data", dir}, 2, "--size applies to --event"},
		{"digest without provider", []string{"digest", "--data", dir}, 2, "--provider is required"},
		{"token without sub-command", []string{"token"}, 2, "create, list, rotate or revoke"},
		{"token grant refused", []string{"token", "create", "--staff", "cm1", "--role", "case_manager", "--provider", "*", "--data", dir}, 2, "may span providers"},
		{"version", []string{"version"}, 0, ""},
		{"verify a provider without events", []string{"verify", "--provider", "nobody", "--data", dir}, 1, "provider nobody has no events"},
		{"certificate without key", []string{"serve", "--data", dir, "--tls-cert", c.ServerCert}, 2, "--tls-cert and --tls-key go together"},
		{"key without certificate", []string{"serve", "--data", dir, "--tls-key", c.ServerKey}, 2, "--tls-cert and --tls-key go together"},
		{"bad log format", []string{"serve", "--data", dir, "--log-format", "xml"}, 2, "--log-format must be text or json"},
		{"bad log level", []string{"serve", "--data", dir, "--log-level", "loud"}, 2, "--log-level must be debug, info, warn or error"},
		{"NATS TLS without a listener", []string{"serve", "--data", dir, "--nats-tls-cert", c.ServerCert, "--nats-tls-key", c.ServerKey}, 2, "apply to --nats-listen only"},
		{"negative months kept", []string{"serve", "--data", dir, "--keep-months", "-1"}, 2, "--keep-months must be 0 (every month) or more"},
		{"NATS client authority without a certificate", []string{"serve", "--data", dir, "--nats-listen", "127.0.0.1:-1", "--nats-tls-ca", c.CA}, 2, "--nats-tls-ca needs --nats-tls-cert and --nats-tls-key"},
		{"NATS client TLS on the embedded store", []string{"verify", "--data", dir, "--nats-ca", c.CA}, 2, "apply to --nats only"},
		{"NATS client certificate without key", []string{"verify", "--nats", "tls://127.0.0.1:1", "--nats-cert", c.ClientCert}, 2, "--nats-cert and --nats-key go together"},
		{"an authority without a server", []string{"rates", "--data", dir, "--ca", c.CA}, 2, "--ca applies to --server only"},
		{"a key that is not the certificate's", []string{"serve", "--data", dir, "--tls-cert", c.ServerCert, "--tls-key", c.ClientKey}, 1, "--tls-cert and --tls-key: certificate " + c.ServerCert + " and key " + c.ClientKey + ": tls: private key does not match public key"},
		{"a missing certificate", []string{"serve", "--data", dir, "--tls-cert", dir + "/none.pem", "--tls-key", c.ServerKey}, 1, "no such file"},
		{"a NATS listener key that is not the certificate's", []string{"serve", "--data", dir, "--nats-listen", "127.0.0.1:-1", "--nats-tls-cert", c.ServerCert, "--nats-tls-key", c.ClientKey}, 1, "--nats-tls-cert and --nats-tls-key: certificate"},
		{"an authority file without certificates", []string{"rates", "--server", "https://127.0.0.1:1", "--token", "t", "--ca", c.ServerKey}, 1, "--ca: " + c.ServerKey + " holds no PEM certificate"},
		{"a missing NATS authority", []string{"verify", "--nats", "tls://127.0.0.1:1", "--nats-ca", dir + "/none.pem"}, 1, "--nats-ca: open"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t.Context(), "", nil, tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.stderr) {
				t.Fatalf("exit %d, want %d; stderr %q lacks %q (stdout %q)", code, tt.code, errOut, tt.stderr, out)
			}
			// Every line says something: no "wsledger deadlines: " left empty after the usage.
			for _, line := range strings.Split(errOut, "\n") {
				if strings.HasSuffix(line, ": ") {
					t.Errorf("stderr has a line that says nothing after its colon: %q", line)
				}
			}
		})
	}
}

func TestDataDirFromEnvironment(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := run(t.Context(), "", map[string]string{"WSLEDGER_DATA": dir}, "verify")
	if code != 0 || !strings.Contains(out, "no events") {
		t.Fatalf("exit %d: %s %s", code, out, errOut)
	}
}

func TestSubmitToTheStoreGoesOnAfterAnOverlongLine(t *testing.T) {
	dir := t.TempDir()
	stdin := `{"type":"RegisterProvider","provider":"north","summary":"` + strings.Repeat("x", 2<<20) + "\"}\n\n" +
		`{"type":"RegisterProvider","provider":"north","actor":{"staff_id":"ad1","role":"admin"},"name":"North","region":"interior"}` + "\n" +
		`{"type":"RegisterProvider","provider":"north","actor":{"staff_id":"ad1","role":"admin"},"name":"North","region":"interior"}`
	code, out, errOut := run(t.Context(), stdin, nil, "submit", "--data", dir)
	if code != 1 || !strings.Contains(errOut, "2 of 3 commands refused") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], `"line":1`) || !strings.Contains(lines[0], "longer than") ||
		!strings.Contains(lines[1], `{"ok":true,"line":3`) || !strings.Contains(lines[2], `"code":"conflict"`) {
		t.Fatalf("results:\n%.2000s", out)
	}
}
