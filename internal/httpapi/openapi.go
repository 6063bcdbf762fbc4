package httpapi

import (
	_ "embed"
	"net/http"

	"github.com/gin-gonic/gin"
)

// openAPIDocument describes every route; a test keeps it in step with the
// routes actually registered.
//
//go:embed openapi.json
var openAPIDocument []byte

// openAPI serves the OpenAPI 3.0 document; no token is needed.
func (s *Server) openAPI(c *gin.Context) error {
	c.Data(http.StatusOK, "application/json", openAPIDocument)
	return nil
}
