package httpapi

import (
	"context"
	"crypto/rand"

	"github.com/gin-gonic/gin"
)

// requestIDHeader carries the request id in both directions.
const requestIDHeader = "X-Request-ID"

type ctxKey int

const requestIDKey ctxKey = 0

// requestID takes the caller's X-Request-ID when it is short and plain, or
// makes one, and puts it in the request context and the response headers.
func (s *Server) requestID(c *gin.Context) {
	id := c.GetHeader(requestIDHeader)
	if !validRequestID(id) {
		id = s.newReqID()
	}
	c.Header(requestIDHeader, id)
	c.Request = c.Request.WithContext(context.WithValue(c.Request.Context(), requestIDKey, id))
	c.Next()
}

// validRequestID accepts 1 to 64 letters, digits, '-', '_' and '.', so a
// caller cannot inject anything odd into the logs.
func validRequestID(id string) bool {
	if len(id) == 0 || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

func randomRequestID() string { return rand.Text() }

// requestIDFrom returns the request id stored in ctx, or "".
func requestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}
