package mailer

import (
	"fmt"
	"strings"
	"time"

	mail "github.com/wneessen/go-mail"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
)

// notice is one resolution WSTA must be e-mailed about (due diligence E.2, E.5).
type notice struct {
	seq      uint64 // of the resolution in the ledger's stream
	eventID  string // the resolution's event id: the notice's identity
	provider string
	resolved time.Time
	events.ConcernResolved
}

// messageID is the notice's Message-ID: the same for every attempt, in this process or after a
// restart, so that WSTA's side can drop a repeat. domain is the sender's mail domain.
func (n notice) messageID(domain string) string {
	return "wsta-notice." + n.eventID + "@" + domain
}

// idempotencyKey is the key the delivery is recorded under, so that recording it again (a retry
// after the ledger did not answer) appends nothing.
func (n notice) idempotencyKey() string { return "wsta-notice-" + n.eventID }

// message builds the e-mail: the client number and the date of the CLNO entry the manual asks
// for, with the level and the summary of the issues and resolution.
func (n notice) message(from, to, mailDomain string) (*mail.Msg, error) {
	m := mail.NewMsg()
	if err := m.From(from); err != nil {
		return nil, fmt.Errorf("--mail-from: %w", err)
	}
	if err := m.To(to); err != nil {
		return nil, fmt.Errorf("--wsta-mail-to: %w", err)
	}
	m.SetMessageIDWithValue(n.messageID(mailDomain))
	m.SetDateWithValue(n.resolved)
	m.Subject(fmt.Sprintf("Resolved client concern %s (%s): CLNO entry of %s", n.ConcernID, n.provider, n.CLNODate))
	m.SetBodyString(mail.TypeTextPlain, n.body())
	return m, nil
}

func (n notice) body() string {
	client := n.ClientNumber
	if client == "" {
		client = "not recorded (the concern came to the provider through WSTA)"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "A client concern was resolved and documented in the CLNO (WSPM due diligence E.2, E.5).\n\n")
	fmt.Fprintf(&b, "Work Services provider: %s\n", n.provider)
	fmt.Fprintf(&b, "Concern: %s\n", n.ConcernID)
	fmt.Fprintf(&b, "Client number: %s\n", client)
	fmt.Fprintf(&b, "Date of the CLNO entry: %s\n", n.CLNODate)
	fmt.Fprintf(&b, "Resolved at the level of: %s\n", strings.ReplaceAll(n.Level, "_", " "))
	fmt.Fprintf(&b, "Resolved: %s\n\n", n.resolved.In(domain.Anchorage).Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(&b, "Summary of the issues and resolution:\n%s\n\n", n.Summary)
	fmt.Fprintf(&b, "Sent by wsledger. A message with the same Message-ID is a repeat of this one.\n")
	return b.String()
}
