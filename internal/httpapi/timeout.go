package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/citizenspanel/panel/internal/panel"

	"github.com/gin-gonic/gin"
)

// DefaultImportTimeout is the default of Deps.ImportTimeout: a
// 1,000,000-row recipient file is stored in well under a minute on
// PostgreSQL (BENCHMARKS.md), on SQLite in about two.
const DefaultImportTimeout = 5 * time.Minute

// setTimeout gives the route method+template its own time limit. Call it
// when registering the route.
func (s *Server) setTimeout(method, route string, d time.Duration) {
	s.timeouts[method+" "+route] = d
}

// limitKey is where limitTime keeps the request's time limit.
type limitKey struct{}

// limitTime gives the request's context a deadline: the route's own
// limit, else s.timeout. The service calls below it give up when it
// passes, and writeError answers 503 naming the limit (timeoutError).
func (s *Server) limitTime(c *gin.Context) {
	d, ok := s.timeouts[c.Request.Method+" "+c.FullPath()]
	if !ok {
		d = s.timeout
	}
	ctx, cancel := context.WithTimeout(context.WithValue(c.Request.Context(), limitKey{}, d), d)
	defer cancel()
	c.Request = c.Request.WithContext(ctx)
	c.Next()
}

// timeoutError is the answer of a request whose time limit passed: it
// names the limit and never blames a dependency, which may be fine (the
// work was too big for the limit). ok is false while the deadline has not
// passed.
func timeoutError(ctx context.Context) (err error, ok bool) {
	d, limited := ctx.Value(limitKey{}).(time.Duration)
	if !limited || ctx.Err() != context.DeadlineExceeded {
		return nil, false
	}
	return &httpError{status: http.StatusServiceUnavailable, code: panel.EUNAVAILABLE,
		message: fmt.Sprintf("the request took longer than its time limit of %s and was stopped", d)}, true
}
