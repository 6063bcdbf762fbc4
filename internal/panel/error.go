package panel

import (
	"errors"
	"fmt"
)

// Error codes. They are few on purpose: each edge (HTTP, CLI) maps them to
// its own vocabulary (status codes, exit codes) in exactly one place.
const (
	ECONFLICT     = "conflict"     // the action clashes with current state (duplicate, already done)
	EINTERNAL     = "internal"     // a bug or an unexpected failure; details are logged, not shown
	EINVALID      = "invalid"      // the input is wrong; Message says what and where
	ENOTFOUND     = "not_found"    // the thing asked for does not exist
	EUNAUTHORIZED = "unauthorized" // no valid credentials
	EFORBIDDEN    = "forbidden"    // valid credentials, but the role may not do this
	EUNAVAILABLE  = "unavailable"  // a dependency (database, SMS provider) cannot be reached now
)

// Error is the service's one error type. Message is the sentence a user
// reads; it must never contain personal data or secrets.
type Error struct {
	Code    string
	Message string
}

// Error implements the error interface.
func (e *Error) Error() string {
	return fmt.Sprintf("panel error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code string, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of the first *Error in err's
// chain, "internal error" for any other non-nil error, and "" for nil.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
