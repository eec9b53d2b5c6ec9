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
	`# NATS access for wsledger's embedded server, in nats-server's configuration format
# (accounts, users and permissions). wsledger reads it when it starts.
#
# - Account {{.Account}} holds the ledger stream and must keep "jetstream: enabled".
# - wsledger adds its own user ({{.LedgerUser}}) at every start, with a password that exists only
#   in memory: no file holds a credential that can append events.
# - Whatever this file says, wsledger denies every user listed here publishing to ledger.>,
#   deleting, purging or editing the {{.Stream}} stream, and touching the {{.Bucket}} bucket.
# - The {{.WSTAUser}} user may subscribe to {{.FeedSubjects}} and consume the {{.FeedStream}} stream, nothing else.
#   Its password is in {{.PasswordFile}} (this file keeps only its bcrypt hash); change it with
#   "nats server passwd" or any bcrypt tool and restart wsledger.
accounts: {
  {{.Account}}: {
    jetstream: enabled
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
`))

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
	var b bytes.Buffer
	err = defaultTemplate.Execute(&b, map[string]any{
		"Account": Account, "LedgerUser": LedgerUser, "Stream": LedgerStream, "Bucket": TokenBucket,
		"WSTAUser": WSTAUser, "FeedSubjects": FeedSubjects, "FeedStream": FeedStream,
		"PasswordFile": WSTAPasswordFile, "Hash": string(hash), "Publish": wstaPublish(FeedStream),
	})
	if err != nil {
		return nil, err
	}
	pwFile := filepath.Join(dataDir, WSTAPasswordFile)
	if err := os.WriteFile(pwFile, []byte(password+"\n"), 0o600); err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		return nil, err
	}
	return &Generated{WSTAPassword: password, WSTAPasswordFile: pwFile}, nil
}
