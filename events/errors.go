package events

import (
	"errors"
	"fmt"
)

// Error codes shared by every layer of wsledger. The HTTP layer maps each to a status code.
const (
	Invalid   = "invalid"   // the input breaks a rule; nothing was appended (400)
	Conflict  = "conflict"  // the input disagrees with the current state or version (409)
	NotFound  = "not_found" // the thing named does not exist (404)
	Forbidden = "forbidden" // the actor may not do this (403)
	Internal  = "internal"  // a fault of the ledger or its store (500)
	// Unavailable says the store did not answer or was too busy (an election, a lost connection,
	// writers contending beyond the retries): nothing may have been stored, or the request may
	// have been. Retry the same request with the same idempotency key (503, Retry-After).
	Unavailable = "unavailable"
)

// Error is the one error type wsledger returns to people. Field names the input field at fault
// (JSON path, e.g. "findings[2].finding_id") when there is one; Message is a full sentence that
// names the rule. Messages never contain personal data such as client numbers.
type Error struct {
	Code    string `json:"code"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
	// Current is the current version (stream sequence) of the aggregate or provider on a conflict.
	Current uint64 `json:"current,omitempty"`
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s: %s", e.Code, e.Field, e.Message)
	}
	return e.Code + ": " + e.Message
}

// Errorf returns an *Error with the code, field and formatted message.
func Errorf(code, field, format string, args ...any) *Error {
	return &Error{Code: code, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err's *Error, or Internal when err carries none.
func ErrorCode(err error) string {
	if err == nil {
		return "" // before errors.As, whose target would otherwise be allocated for every call
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}
