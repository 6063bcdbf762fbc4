package httpapi

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/citizenspanel/panel/internal/panel"
)

// authenticate checks the bearer token of an /api/v1 request, refuses
// auditors on mutating methods and puts the caller's panel.Actor in the
// request context.
func (s *Server) authenticate(c *gin.Context) {
	ctx := c.Request.Context()
	scheme, secret, _ := strings.Cut(c.GetHeader("Authorization"), " ")
	secret = strings.TrimSpace(secret)
	if !strings.EqualFold(scheme, "Bearer") || secret == "" {
		s.writeError(c, panel.Errorf(panel.EUNAUTHORIZED, "an API token is required: send the header \"Authorization: Bearer <token>\""))
		return
	}
	tok, err := s.tokens.Authenticate(ctx, panel.Secret(secret))
	if err != nil {
		s.writeError(c, err)
		return
	}
	if tok.Role != panel.RoleOrganiser && mutating(c.Request.Method) {
		s.writeError(c, panel.Errorf(panel.EFORBIDDEN, "role %q may only read; this call needs role %q", tok.Role, panel.RoleOrganiser))
		return
	}
	actor := panel.Actor{Name: tok.Name, Role: tok.Role}
	c.Set(callerKey, fmt.Sprintf("token/%d", tok.ID))
	c.Request = c.Request.WithContext(panel.WithActor(ctx, actor))
	c.Next()
}

// callerKey is the gin context key of the caller's identity for
// idempotency keys: "token/ID".
const callerKey = "panel.caller"

// mutating reports whether method may change state.
func mutating(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}
