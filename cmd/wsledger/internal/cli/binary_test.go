package cli_test

import (
	"bufio"
	"bytes"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildBinary builds the real wsledger binary into a temporary directory.
func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "wsledger")
	out, err := exec.CommandContext(t.Context(), "go", "build", "-o", bin, "github.com/wsledger/wsledger/cmd/wsledger").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// exitCode runs the binary and returns its exit status and output.
func exitCode(t *testing.T, bin, stdin string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), bin, args...)
	cmd.Env = []string{"HOME=" + t.TempDir()}
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), out.String(), errOut.String()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, out.String(), errOut.String()
}

func TestBinary(t *testing.T) {
	bin := buildBinary(t)
	data := filepath.Join(t.TempDir(), "data")
	steps := []struct {
		name      string
		stdin     string
		args      []string
		code      int
		out, err_ string // fragments
	}{
		{"version", "", []string{"version"}, 0, "wsledger dev", ""},
		{"usage error", "", []string{"serve", "--http"}, 2, "", "flag needs an argument"},
		{"demo", "", []string{"demo", "--data", data, "--demo-end", demoEndDay.String()}, 0, "", "demo sign-in tokens"},
		{"demo again adds nothing", "", []string{"demo", "--data", data, "--demo-end", demoEndDay.String()}, 0, "", "(0 new, 1"},
		{"the demo of another day is not loaded over it", "", []string{"demo", "--data", data}, 0, "", "already holds a demo data set that ends at another moment"},
		{"a demo that ends after today", "", []string{"demo", "--data", data, "--demo-end", "2999-01-01"}, 2, "", "is after today"},
		{"verify the demo", "", []string{"verify", "--data", data}, 0, "provider kenai: intact", ""},
		{"verify a directory that does not exist", "", []string{"verify", "--data", data + "-mistyped"}, 1, "", "no ledger at " + data + "-mistyped"},
		{"read a directory that does not exist", "", []string{"deadlines", "--data", data + "-mistyped", "--provider", "kenai"}, 1, "", "no ledger at"},
		{"submit straight to the store", `{"type":"LearnCircumstanceChange","provider":"tongass","actor":{"staff_id":"tongass-cm1","role":"case_manager"},"change_id":"BIN-1","client_number":"44401234","description":"New job."}
{"type":"LearnCircumstanceChange","provider":"tongass","actor":{"staff_id":"tongass-cm1","role":"case_manager"},"change_id":"BIN-1","client_number":"44401234","description":"Again."}
`, []string{"submit", "--data", data}, 1, `"ok":true`, "1 of 2 commands refused"},
		{"replay as of a date", "", []string{"coverage", "--data", data, "--provider", "kenai", "--as-of", "2026-03-31"}, 0, "2026-03", ""},
		{"create a token", "", []string{"token", "create", "--data", data, "--staff", "tongass-cm1", "--role", "case_manager", "--provider", "tongass"}, 0, "wsl_", "shown only this once"},
		{"list tokens", "", []string{"token", "list", "--data", data}, 0, "tongass-cm1", ""},
		{"revoke an unknown token", "", []string{"token", "revoke", "--data", data, "0000000000000000"}, 1, "", "no token has this id"},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			code, out, errOut := exitCode(t, bin, s.stdin, s.args...)
			if code != s.code || !strings.Contains(out, s.out) || !strings.Contains(errOut, s.err_) {
				t.Fatalf("exit %d (want %d)\nstdout %.600s\nstderr %.600s", code, s.code, out, errOut)
			}
		})
	}
}

func TestBinaryServeShutsDownOnSIGTERM(t *testing.T) {
	bin := buildBinary(t)
	cmd := exec.CommandContext(t.Context(), bin, "serve", "--data", t.TempDir(), "--http", "127.0.0.1:0", "--nats-listen", "127.0.0.1:-1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var url string
	var seen []string
	for url == "" {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("serve ended:\n%s", strings.Join(seen, "\n"))
			}
			seen = append(seen, l)
			if m := servingAt.FindStringSubmatch(l); m != nil {
				url = m[1]
			}
		case <-time.After(60 * time.Second):
			t.Fatalf("serve did not start:\n%s", strings.Join(seen, "\n"))
		}
	}
	if !strings.Contains(strings.Join(seen, "\n"), "wsta user's password is in") {
		t.Errorf("first run did not say where the WSTA password is:\n%s", strings.Join(seen, "\n"))
	}
	waitReady(t, url, "")
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		for l := range lines {
			seen = append(seen, l)
		}
		done <- cmd.Wait()
	}()
	select {
	case err := <-done:
		if err != nil || !strings.Contains(strings.Join(seen, "\n"), "shutting down") {
			t.Fatalf("exit %v:\n%s", err, strings.Join(seen, "\n"))
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop within 30s of SIGTERM")
	}
}
