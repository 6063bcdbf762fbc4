package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// consoleRoutes are the path templates on which the organiser console
// (package console, a plain http.Handler) is served.
var consoleRoutes = []string{
	"/", "/login", "/logout", "/lang", "/static/*path",
	"/campaigns", "/campaigns/*path", "/inbox", "/inbox/*path", "/audit",
}

// mountConsole serves h on the console's paths, behind the same request
// id, access log, metrics, panic recovery and time limit as the API. Its
// forms may be as large as an upload; the console checks its own limits.
func (s *Server) mountConsole(h http.Handler) {
	wrapped := gin.WrapH(h)
	for _, route := range consoleRoutes {
		s.engine.Any(route, s.limitTime, wrapped)
		s.setBodyLimit(http.MethodPost, route, UploadBodyLimit)
	}
}
