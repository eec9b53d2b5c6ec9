package domain

import (
	"slices"
	"time"

	"github.com/wsledger/wsledger/events"
)

// caseManagerCommands are what a case manager may record: client calls and concerns (with WSTA's
// recommendations on them), emergencies, changes of circumstances and corrections.
var caseManagerCommands = []string{
	"CompleteCorrection",
	"ReceiveClientCall", "ReceiveConcern", "ReturnClientCall", "ResolveConcern", "DeclareConcernUnresolved",
	"ForwardConcernToWSTA", "ReceiveWSTARecommendation", "ImplementWSTARecommendation",
	"DiscloseEmergency", "SeeEmergencyClient", "LearnCircumstanceChange", "ReportCircumstanceChange",
}

// adminCommands are what only an admin may record: registering a provider, and what the ledger
// itself records as an admin (the mailer's delivered WSTA notices, serve's policy settings).
var adminCommands = []string{"RegisterProvider", "RecordWSTANoticeDelivered", "RecordPolicySettings"}

// Allowed reports whether an actor of a role may issue a command type:
//   - admin: every command, and the only role that may issue the adminCommands;
//   - supervisor and program_manager (management): every command but the adminCommands;
//   - case_manager: the caseManagerCommands;
//   - wsta: only ConfirmPerformanceConfirmation, WSTA's own decision;
//   - csqa_auditor: nothing; auditors read the ledger but never write it.
func Allowed(role, commandType string) bool {
	switch role {
	case events.RoleAdmin:
		return true
	case events.RoleSupervisor, events.RoleProgramManager:
		return !slices.Contains(adminCommands, commandType)
	case events.RoleCaseManager:
		return slices.Contains(caseManagerCommands, commandType)
	case events.RoleWSTA:
		return commandType == "ConfirmPerformanceConfirmation"
	}
	return false
}

// IsManagement reports whether a role is one of management's: supervisor or program_manager.
func IsManagement(role string) bool {
	return role == events.RoleSupervisor || role == events.RoleProgramManager
}

func authorize(a events.Actor, commandType string) *events.Error {
	if Allowed(a.Role, commandType) {
		return nil
	}
	return events.Errorf(events.Forbidden, "actor.role", "A %s may not %s: %s.", a.Role, commandType, denialReason(a.Role, commandType))
}

// denialReason names the rule that refuses a role a command: an admin command's rule for any
// role that may write, else the role's own.
func denialReason(role, commandType string) string {
	switch {
	case role == events.RoleCSQAAuditor:
		return "CSQA auditors read and verify the ledger but do not write to it"
	case role == events.RoleWSTA:
		return "WSTA only records its confirmation that performance confirmation starts or ceases"
	case role == events.RoleCaseManager && !slices.Contains(adminCommands, commandType):
		return "case managers record calls, concerns, emergencies, changes of circumstances and corrections; the rest is management's"
	case role == events.RoleCaseManager || IsManagement(role):
		return "only an admin registers providers and records what the ledger itself records"
	}
	return "the role is not known to the ledger"
}

// AccessDeniedDraft returns the AccessDenied event that records a refusal Decide returned with
// code forbidden, for callers that keep a trail of denials. It carries no personal data.
func AccessDeniedDraft(cmd Command, refusal *events.Error, occurredAt time.Time) events.Draft {
	h := cmd.Header()
	payload, _ := events.EncodePayload(events.AccessDenied{
		StaffID: h.Actor.StaffID, Role: h.Actor.Role, Action: h.Type, Reason: refusal.Message,
	})
	return events.Draft{
		Type:          events.TypeAccessDenied,
		Version:       events.CurrentVersion(events.TypeAccessDenied),
		AggregateKind: KindAccess,
		AggregateID:   AggregateID(h.Provider, KindAccess, h.Actor.StaffID),
		OccurredAt:    occurredAt,
		Payload:       payload,
	}
}
