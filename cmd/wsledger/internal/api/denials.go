package api

import (
	"context"
	"log/slog"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/auth"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/ledger"
	"github.com/wsledger/wsledger/events"
)

// denialRecorder records refusals the API itself makes (a token used for another provider, or
// to submit as someone else) as AccessDenied events in the history of the provider that was
// targeted, so they stand in its audit trail beside the refusals the domain makes. A refusal
// aimed at a provider that has no history is only logged: nothing is appended for it.
type denialRecorder struct {
	service *ledger.Service
	logger  *slog.Logger
}

// record appends the denial; it is best effort, the refusal stands either way.
func (d denialRecorder) record(ctx context.Context, p auth.Principal, provider, action, reason string) {
	d.logger.Info("access denied", slog.String("provider", provider), slog.String("action", action),
		slog.String("role", p.Role), slog.String("token", p.TokenID))
	if events.CheckProvider(provider) != nil {
		return
	}
	if err := d.service.RecordDenial(ctx, p.Actor(), provider, action, reason); err != nil {
		d.logger.Warn("could not record a denial", slog.String("provider", provider), slog.Any("err", err))
	}
}
