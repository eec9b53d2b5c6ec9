package api

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/auth"
	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
)

// denialRecorder records refusals the API itself makes (a token used for another provider, or
// to submit as someone else) as AccessDenied events in the history of the provider that was
// targeted, so they stand in its audit trail beside the refusals the domain makes. A refusal
// aimed at a provider that has no history is only logged: nothing is appended for it.
type denialRecorder struct {
	log    events.Log
	now    func() time.Time
	logger *slog.Logger
}

// record appends the denial; it is best effort, the refusal stands either way.
func (d denialRecorder) record(ctx context.Context, p auth.Principal, provider, action, reason string) {
	d.logger.Info("access denied", slog.String("provider", provider), slog.String("action", action),
		slog.String("role", p.Role), slog.String("token", p.TokenID))
	if events.CheckProvider(provider) != nil {
		return
	}
	head, err := d.log.Head(ctx, provider)
	if err != nil || head.Position == 0 {
		return
	}
	payload, _ := json.Marshal(events.AccessDenied{StaffID: p.StaffID, Role: p.Role, Action: action, Reason: reason})
	now := d.now()
	_, err = d.log.Append(context.WithoutCancel(ctx), events.AppendRequest{
		Provider: provider, Actor: p.Actor(),
		Events: []events.Draft{{
			Type: events.TypeAccessDenied, Version: events.CurrentVersion(events.TypeAccessDenied),
			AggregateKind: domain.KindAccess, AggregateID: domain.AggregateID(provider, domain.KindAccess, p.StaffID),
			OccurredAt: now, Payload: payload,
		}},
	})
	if err != nil {
		d.logger.Warn("could not record a denial", slog.String("provider", provider), slog.Any("err", err))
	}
}
