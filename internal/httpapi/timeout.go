package httpapi

import (
	"context"

	"github.com/gin-gonic/gin"
)

// limitTime gives the request's context a deadline of s.timeout; the
// service calls below it give up when it passes, and writeError answers
// 503.
func (s *Server) limitTime(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.timeout)
	defer cancel()
	c.Request = c.Request.WithContext(ctx)
	c.Next()
}
