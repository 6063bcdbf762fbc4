package httpapi

import (
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"
)

// unmatchedRoute labels requests that matched no route, so that scanners
// probing random paths cannot blow up log or metric cardinality.
const unmatchedRoute = "unmatched"

// routeOf returns the route template ("/api/v1/campaigns/:id"), never the
// raw path, which may carry identifiers.
func routeOf(c *gin.Context) string {
	if r := c.FullPath(); r != "" {
		return r
	}
	return unmatchedRoute
}

// accessLog writes one line per request: method, route template, status,
// duration and request id. Query strings, bodies and headers (tokens) are
// never logged. Successful probes and scrapes (/healthz, /readyz,
// /metrics), which arrive every few seconds, log at debug level.
func (s *Server) accessLog(c *gin.Context) {
	start := s.now()
	c.Next()
	status := c.Writer.Status()
	route := routeOf(c)
	level := slog.LevelInfo
	switch {
	case status >= http.StatusInternalServerError:
		level = slog.LevelError
	case status < http.StatusBadRequest && (route == "/healthz" || route == "/readyz" || route == "/metrics"):
		level = slog.LevelDebug
	}
	ctx := c.Request.Context()
	s.logger.LogAttrs(ctx, level, "http request",
		slog.String("method", c.Request.Method),
		slog.String("route", route),
		slog.Int("status", status),
		slog.Duration("duration", s.now().Sub(start)),
		slog.Int("bytes", max(c.Writer.Size(), 0)),
		slog.String("request_id", requestIDFrom(ctx)),
	)
}
