package natsauth

import (
	"fmt"
	"strings"

	"github.com/nats-io/nats-server/v2/conf"
)

// checkAccounts refuses, naming the line of path, a ledger account that imports or exports
// anything (a stream import could deliver another account's messages into ledger.>, a service
// export lets other accounts call the ledger's JetStream API), and a feed account that is
// missing or has no JetStream.
func checkAccounts(path string) error {
	m, err := conf.ParseFileWithChecks(path)
	if err != nil {
		return err
	}
	var accounts map[string]any
	for k, v := range m {
		if strings.EqualFold(k, "accounts") {
			accounts, _ = valueOf(v).(map[string]any)
		}
	}
	ledger, _ := valueOf(accounts[Account]).(map[string]any)
	for k, v := range ledger {
		if k := strings.ToLower(k); k == "imports" || k == "exports" {
			return fmt.Errorf("line %d: the account %s %s subjects; it may neither import nor export anything, so that nothing from another account reaches the ledger stream or its JetStream API",
				lineOfToken(v), Account, k)
		}
	}
	feed, ok := accounts[FeedAccount]
	if !ok {
		return fmt.Errorf("it must define the account %s (with jetstream: enabled), which holds the WSTA feed and the users who read it (see docs/operations.md, \"NATS access\")", FeedAccount)
	}
	feedMap, _ := valueOf(feed).(map[string]any)
	for k, v := range feedMap {
		if strings.ToLower(k) == "jetstream" && jetStreamOn(valueOf(v)) {
			return nil
		}
	}
	return fmt.Errorf("line %d: the account %s must have jetstream: enabled; it holds the WSTA stream", lineOfToken(feed), FeedAccount)
}

// jetStreamOn reports whether an account's jetstream setting enables it: true, "enabled", or
// a map of limits.
func jetStreamOn(v any) bool {
	switch v := v.(type) {
	case bool:
		return v
	case string:
		return strings.EqualFold(v, "enabled") || strings.EqualFold(v, "enable")
	case map[string]any:
		return true
	}
	return false
}

// token is a value of a configuration parsed with checks, which knows its line.
type token interface {
	Value() any
	Line() int
}

func valueOf(v any) any {
	if t, ok := v.(token); ok {
		return t.Value()
	}
	return v
}

func lineOfToken(v any) int {
	if t, ok := v.(token); ok {
		return t.Line()
	}
	return 0
}
