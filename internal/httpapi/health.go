package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/citizenspanel/panel/internal/panel"
)

// readyTimeout bounds the database ping of /readyz, so that a probe gets
// its answer even when the database hangs.
const readyTimeout = 2 * time.Second

// healthz answers 200 while the process can answer at all.
func (s *Server) healthz(c *gin.Context) error {
	s.writeJSON(c, http.StatusOK, gin.H{"status": "ok"})
	return nil
}

// SchemaChecker reports whether the database's schema is the version the
// binary was built for (store.Store).
type SchemaChecker interface {
	// CheckSchema returns EUNAVAILABLE, naming the versions, when the
	// applied migration version is not the binary's newest.
	CheckSchema(ctx context.Context) error
}

// readyz answers 200 when the database answers a ping and, with a
// SchemaChecker, holds the schema version this binary needs; else 503
// with the reason.
func (s *Server) readyz(c *gin.Context) error {
	ctx, cancel := context.WithTimeout(c.Request.Context(), readyTimeout)
	defer cancel()
	if err := s.db.Ping(ctx); err != nil {
		if panel.ErrorCode(err) != panel.EUNAVAILABLE {
			s.logger.WarnContext(ctx, "readiness ping failed", "request_id", requestIDFrom(ctx), "error", err.Error())
			return panel.Errorf(panel.EUNAVAILABLE, "the database is not reachable")
		}
		return err
	}
	if s.schema != nil {
		if err := s.schema.CheckSchema(ctx); err != nil {
			if panel.ErrorCode(err) != panel.EUNAVAILABLE {
				s.logger.WarnContext(ctx, "readiness schema check failed", "request_id", requestIDFrom(ctx), "error", err.Error())
				return panel.Errorf(panel.EUNAVAILABLE, "the database schema version could not be read")
			}
			return err
		}
	}
	s.writeJSON(c, http.StatusOK, gin.H{"status": "ready"})
	return nil
}
