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
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
	return nil
}

// readyz answers 200 when the database answers a ping, else 503.
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
	c.JSON(http.StatusOK, gin.H{"status": "ready"})
	return nil
}
