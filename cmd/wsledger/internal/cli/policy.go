package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/ledger"
	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/domain/wire"
	"github.com/wsledger/wsledger/events"
)

// settingsActor is who serve records the settings of --policy as.
var settingsActor = events.Actor{StaffID: "wsledger", Role: events.RoleAdmin}

func addPolicyFlag(fs *flag.FlagSet) *string {
	return fs.String("policy", "", "policy settings `file` (JSON; keys in docs/policy.md, and closures), recorded in every provider's history where they differ; without it each provider keeps the settings its history records (the defaults when none)")
}

// readPolicy reads --policy; nil without it. A bad file is a usage error naming the key.
func readPolicy(file string) (*domain.Policy, error) {
	if file == "" {
		return nil, nil
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	p, err := wire.ReadSettings(data)
	if err != nil {
		var e *events.Error
		if errors.As(err, &e) && e.Field != "" {
			return nil, usagef("--policy %s: %s: %s", file, e.Field, e.Message)
		}
		return nil, usagef("--policy %s: %v", file, err)
	}
	return &p, nil
}

// recordPolicy records the settings in every provider whose history does not already have them
// in force, so that each provider's hash chain covers the settings it is judged by.
func recordPolicy(ctx context.Context, log events.Log, service *ledger.Service, p domain.Policy, logger *slog.Logger) error {
	providers, err := log.Providers(ctx)
	if err != nil {
		return err
	}
	cmd := map[string]any{"type": "RecordPolicySettings", "actor": settingsActor, "settings": p.Settings()}
	for _, provider := range providers {
		cmd["provider"] = provider
		raw, err := json.Marshal(cmd)
		if err != nil {
			return err
		}
		_, err = service.Submit(ctx, raw)
		switch events.ErrorCode(err) {
		case "":
			logger.Info("recorded the policy settings", slog.String("provider", provider))
		case events.Conflict, events.NotFound: // already in force; or not a registered provider
		default:
			return fmt.Errorf("record the policy settings of %s: %w", provider, err)
		}
	}
	return nil
}
