package httpapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/citizenspanel/panel/internal/panel"
)

// Error codes the HTTP layer adds to panel's for problems only it can see.
const (
	codeMethodNotAllowed = "method_not_allowed"
	codeTooLarge         = "too_large"
	codeUnsupportedType  = "unsupported_media_type"
)

// httpError is a problem found by the HTTP layer itself whose status the
// panel codes do not express (malformed body, body too large, wrong method).
type httpError struct {
	status  int
	code    string
	message string
}

// Error implements the error interface.
func (e *httpError) Error() string {
	return fmt.Sprintf("http %d %s: %s", e.status, e.code, e.message)
}

// errMalformed is a request that cannot be parsed at all: 400.
func errMalformed(format string, args ...any) error {
	return &httpError{status: http.StatusBadRequest, code: panel.EINVALID, message: fmt.Sprintf(format, args...)}
}

// errTooLarge is a body over the route's limit: 413.
func errTooLarge(limit int64) error {
	msg := fmt.Sprintf("request body is larger than the limit of %d bytes", limit)
	if limit >= 1<<20 {
		msg += fmt.Sprintf(" (%d MiB)", limit>>20)
	}
	return &httpError{status: http.StatusRequestEntityTooLarge, code: codeTooLarge, message: msg}
}

// errorBody is the JSON body of every error answer.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// statusOf maps a panel error code to its HTTP status.
func statusOf(code string) int {
	switch code {
	case panel.EINVALID:
		return http.StatusUnprocessableEntity
	case panel.ENOTFOUND:
		return http.StatusNotFound
	case panel.ECONFLICT:
		return http.StatusConflict
	case panel.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case panel.EFORBIDDEN:
		return http.StatusForbidden
	case panel.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// writeError is the one place that turns an error into an HTTP answer. It
// maps the error's code to a status, hides the detail of internal errors
// (logging it instead) and aborts the handler chain.
func (s *Server) writeError(c *gin.Context, err error) {
	var status int
	var code, message string
	var he *httpError
	if code = panel.ErrorCode(err); code == panel.EINTERNAL || code == panel.EUNAVAILABLE {
		// A request stopped by its time limit says so, whatever the
		// database driver made of the cancelled statement.
		if te, ok := timeoutError(c.Request.Context()); ok && !errors.As(err, &he) {
			err = fmt.Errorf("%w (after: %w)", te, err)
		}
	}
	if errors.As(err, &he) {
		status, code, message = he.status, he.code, he.message
	} else if code = panel.ErrorCode(err); code == panel.EINTERNAL && errors.Is(err, context.DeadlineExceeded) {
		code, message = panel.EUNAVAILABLE, "the request took too long; try again later"
		status = statusOf(code)
	} else {
		message = panel.ErrorMessage(err)
		status = statusOf(code)
	}
	ctx := c.Request.Context()
	switch code {
	case panel.EINTERNAL:
		code, status, message = panel.EINTERNAL, http.StatusInternalServerError, "internal error"
		s.logger.ErrorContext(ctx, "internal error", slog.String("request_id", requestIDFrom(ctx)),
			slog.String("route", routeOf(c)), slog.String("error", err.Error()))
	case panel.EUNAVAILABLE:
		s.logger.WarnContext(ctx, "dependency unavailable", slog.String("request_id", requestIDFrom(ctx)),
			slog.String("route", routeOf(c)), slog.String("error", err.Error()))
	case panel.EUNAUTHORIZED:
		c.Header("WWW-Authenticate", `Bearer realm="panel"`)
	}
	if c.Writer.Written() {
		// Too late to change the answer; the log line above (or the access
		// log's status) is all that is left.
		c.Abort()
		return
	}
	// PureJSON keeps "<" and ">" readable in messages such as "Bearer <token>".
	c.Abort()
	c.PureJSON(status, errorBody{Error: errorDetail{Code: code, Message: message}})
}
