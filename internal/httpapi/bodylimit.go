package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// Body size limits.
const (
	// DefaultBodyLimit bounds every request body unless its route asks for
	// more: 1 MiB, plenty for any JSON request.
	DefaultBodyLimit int64 = 1 << 20
	// UploadBodyLimit is for routes that take CSV uploads: 32 MiB.
	UploadBodyLimit int64 = 32 << 20
	// RecipientsBodyLimit is for the recipient import, which streams its
	// file (its memory does not grow with the file): 64 MiB, room for
	// 1,000,000 rows with a number and a few register columns. A larger
	// body is refused with 413 naming the limit before anything is read.
	RecipientsBodyLimit int64 = 64 << 20
)

// setBodyLimit lets the route method+template accept bodies up to limit.
// Call it when registering the route.
func (s *Server) setBodyLimit(method, route string, limit int64) {
	s.bodyLimits[method+" "+route] = limit
}

// limitBody refuses a declared Content-Length over the route's limit with
// 413 before reading anything, and caps the body reader for chunked bodies
// (decoders turn the cap into a 413 too).
func (s *Server) limitBody(c *gin.Context) {
	limit, ok := s.bodyLimits[c.Request.Method+" "+c.FullPath()]
	if !ok {
		limit = DefaultBodyLimit
	}
	if c.Request.ContentLength > limit {
		s.writeError(c, errTooLarge(limit))
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
	c.Next()
}
