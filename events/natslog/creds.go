package natslog

import (
	"bytes"
	"fmt"
	"os"
	"strings"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nkeys"
)

// credentials returns the connection option of a credentials file, whichever of the three forms
// NATS deployments hand out it holds:
//   - a JWT credentials file (nsc's .creds: the user JWT and its nkey seed);
//   - an nkey seed alone (a line starting with SU), for servers that list users by public nkey;
//   - a user and password, as the first line "user:password", for servers with plain users.
//
// Keeping the password in a file keeps it out of the URL, and so out of ps and shell history.
func credentials(path string) (nats.Option, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("natslog: credentials: %w", err)
	}
	text := strings.TrimSpace(string(data))
	switch {
	case bytes.Contains(data, []byte("BEGIN NATS USER JWT")):
		return nats.UserCredentials(path), nil
	case strings.HasPrefix(text, "SU"):
		o, err := nats.NkeyOptionFromSeed(path)
		if err != nil {
			return nil, fmt.Errorf("natslog: credentials %s: not a valid nkey seed: %w", path, err)
		}
		if _, err := nkeys.FromSeed([]byte(strings.Fields(text)[0])); err != nil {
			return nil, fmt.Errorf("natslog: credentials %s: not a valid nkey seed: %w", path, err)
		}
		return o, nil
	}
	line, _, _ := strings.Cut(text, "\n")
	user, password, ok := strings.Cut(strings.TrimSpace(line), ":")
	if !ok || user == "" || password == "" {
		return nil, fmt.Errorf("natslog: credentials %s: want a JWT credentials file, an nkey seed, or a first line user:password", path)
	}
	return nats.UserInfo(user, password), nil
}
