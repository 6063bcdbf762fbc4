package httpapi

import (
	"fmt"
	"net/http"
	"runtime/debug"

	"github.com/gin-gonic/gin"
)

// recoverPanic turns a panic in a handler into a logged internal error and
// a 500 JSON answer. http.ErrAbortHandler keeps its meaning (abort the
// response) and is passed on.
func (s *Server) recoverPanic(c *gin.Context) {
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		if r == http.ErrAbortHandler {
			panic(r)
		}
		s.writeError(c, fmt.Errorf("panic: %v\n%s", r, debug.Stack()))
	}()
	c.Next()
}
