package natsauth

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"text/template"

	"golang.org/x/crypto/bcrypt"
)

// FeedStream and FeedSubjects name the WSTA feed: the stream WSTA's user may consume and the
// subjects it may subscribe to.
const (
	FeedStream   = "WSTA"
	FeedSubjects = "wsta.>"
)

// WSTAUser is the user of the default configuration that WSTA's analysts connect as.
const WSTAUser = "wsta"

// WSTAPasswordFile is where the default configuration's WSTA password is written, readable by
// the owner only; the configuration itself keeps only its bcrypt hash.
const WSTAPasswordFile = "nats-wsta.password"

// Generated describes a default configuration Prepare wrote.
type Generated struct {
	WSTAPassword     string
	WSTAPasswordFile string
}

// wstaPublish is what the WSTA user may publish: the JetStream API requests that read the feed
// stream and consume it, and acknowledgements. Everything else (including publishing to
// wsta.> itself) is refused.
func wstaPublish(stream string) []string {
	return []string{
		"$JS.API.INFO",
		"$JS.API.STREAM.INFO." + stream,
		"$JS.API.STREAM.MSG.GET." + stream,
		"$JS.API.DIRECT.GET." + stream, "$JS.API.DIRECT.GET." + stream + ".>",
		"$JS.API.CONSUMER.CREATE." + stream, "$JS.API.CONSUMER.CREATE." + stream + ".>",
		"$JS.API.CONSUMER.DURABLE.CREATE." + stream + ".>",
		"$JS.API.CONSUMER.INFO." + stream + ".>",
		"$JS.API.CONSUMER.DELETE." + stream + ".>",
		"$JS.API.CONSUMER.NAMES." + stream, "$JS.API.CONSUMER.LIST." + stream,
		"$JS.API.CONSUMER.MSG.NEXT." + stream + ".>",
		"$JS.ACK." + stream + ".>",
		"$JS.FC." + stream + ".>",
	}
}

var defaultTemplate = template.Must(template.New("access").Funcs(template.FuncMap{"q": strconv.Quote}).Parse(
	header + `
# - Account {{.Account}} holds the ledger stream and must keep "jetstream: enabled". It has no users,
#   and may have none: wsledger adds its own ({{.LedgerUser}}) at every start, with a password that
#   exists only in memory, so no file holds a credential that can append events, and no one else
#   can make the server deliver into ledger.>.
# - Account {{.FeedAccount}} holds the WSTA feed (the {{.FeedStream}} stream, subjects {{.FeedSubjects}}) and every user who
#   reads it: add users here. wsledger adds its own ({{.FeedUser}}) to publish the feed.
# - Whatever this file says, wsledger denies every user listed here publishing to {{.FeedSubjects}} and
#   deleting, purging or editing the {{.FeedStream}} stream.
# - The {{.WSTAUser}} user may subscribe to {{.FeedSubjects}} and consume the {{.FeedStream}} stream, nothing else.
#   Its password is in {{.PasswordFile}} (this file keeps only its bcrypt hash); change it with
#   "nats server passwd" or any bcrypt tool and restart wsledger.
accounts: {
  {{.Account}}: {
    jetstream: enabled
  }
  {{.FeedAccount}}: {
` + wstaAccountBody))

// wstaAccountBody ends every access configuration wsledger writes: the account of the wsta
// user, with JetStream, and the user.
const wstaAccountBody = `    jetstream: enabled
    users: [
      {
        user: {{.WSTAUser}}
        password: {{q .Hash}}
        permissions: {
          publish: { allow: [{{range $i, $s := .Publish}}{{if $i}}, {{end}}{{q $s}}{{end}}] }
          subscribe: { allow: [{{q .FeedSubjects}}, "_INBOX.>"] }
        }
      }
    ]
  }
}
`

// header opens every access configuration wsledger writes; a file that starts with it and is
// otherwise what a version of wsledger wrote may be rewritten (see upgrade).
const header = `# NATS access for wsledger's embedded server, in nats-server's configuration format
# (accounts, users and permissions). wsledger reads it when it starts.
#`

// render writes an access configuration of tmpl with the WSTA user's bcrypt hash.
func render(tmpl *template.Template, hash string) ([]byte, error) {
	var b bytes.Buffer
	err := tmpl.Execute(&b, map[string]any{
		"Account": Account, "LedgerUser": LedgerUser, "Stream": LedgerStream, "Bucket": TokenBucket,
		"FeedAccount": FeedAccount, "FeedUser": FeedUser,
		"WSTAUser": WSTAUser, "FeedSubjects": FeedSubjects, "FeedStream": FeedStream,
		"PasswordFile": WSTAPasswordFile, "Hash": hash, "Publish": wstaPublish(FeedStream),
	})
	return b.Bytes(), err
}

// writeDefault writes the default access configuration and the WSTA password file.
func writeDefault(dataDir, path string) (*Generated, error) {
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, err
	}
	password, err := randomSecret()
	if err != nil {
		return nil, err
	}
	// The password is 256 random bits: no number of guesses finds it, so bcrypt's work factor
	// adds nothing but time to every connection, and the lowest one is used.
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		return nil, fmt.Errorf("hash the WSTA password: %w", err)
	}
	text, err := render(defaultTemplate, string(hash))
	if err != nil {
		return nil, err
	}
	pwFile := filepath.Join(dataDir, WSTAPasswordFile)
	if err := os.WriteFile(pwFile, []byte(password+"\n"), 0o600); err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, text, 0o600); err != nil {
		return nil, err
	}
	return &Generated{WSTAPassword: password, WSTAPasswordFile: pwFile}, nil
}
