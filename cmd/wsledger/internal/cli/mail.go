package cli

import (
	"flag"
	"os"
	"strings"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/mailer"
)

// manualWSTAAddress is the address the manual gives for WSTA's notices (due diligence E.2, E.5).
const manualWSTAAddress = "WSTA@alaska.gov"

// mailFlags say how serve e-mails WSTA the notice of each resolved concern.
type mailFlags struct {
	smtp, passwordFile, to, from string
}

func addMailFlags(fs *flag.FlagSet) *mailFlags {
	m := &mailFlags{}
	fs.StringVar(&m.smtp, "smtp", "", "e-mail WSTA's notices through the SMTP server at `URL`: smtp://[user@]host[:port] (STARTTLS required), smtps://... or smtp+insecure://host:port (loopback test server only); without it the notice duties stay open")
	fs.StringVar(&m.passwordFile, "smtp-password-file", "", "read the SMTP password from `file` (default $WSLEDGER_SMTP_PASSWORD); never put it in --smtp")
	fs.StringVar(&m.to, "wsta-mail-to", manualWSTAAddress, "e-mail WSTA's notices to `address`")
	fs.StringVar(&m.from, "mail-from", "", "send WSTA's notices from `address` (required with --smtp)")
	return m
}

// config checks the flags and returns the mailer's configuration but for the log, service and
// logger serve gives it; nil without --smtp.
func (m *mailFlags) config(env Env, fs *flag.FlagSet) (*mailer.Config, error) {
	if m.smtp == "" {
		for _, name := range []string{"smtp-password-file", "mail-from", "wsta-mail-to"} {
			if isSet(fs, name) {
				return nil, usagef("--%s applies to --smtp only", name)
			}
		}
		return nil, nil
	}
	if m.from == "" {
		return nil, usagef("--smtp needs --mail-from, the address WSTA's notices come from")
	}
	password := env.Getenv("WSLEDGER_SMTP_PASSWORD")
	if m.passwordFile != "" {
		data, err := os.ReadFile(m.passwordFile)
		if err != nil {
			return nil, err
		}
		password = strings.TrimRight(string(data), "\r\n")
	}
	server, err := mailer.ParseServer(m.smtp, password)
	if err != nil {
		return nil, usagef("%s", err)
	}
	cfg := &mailer.Config{Server: server, To: m.to, From: m.from}
	if err := cfg.Check(); err != nil {
		return nil, usagef("%s", err)
	}
	return cfg, nil
}
