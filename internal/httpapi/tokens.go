package httpapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/citizenspanel/panel/internal/panel"
)

// tokenRoutes registers the API token routes: organisers list, issue and
// revoke tokens. Revocation and expiry take effect on the token's next
// request.
func (s *Server) tokenRoutes(api *gin.RouterGroup) {
	api.GET("/tokens", s.handle(s.listTokens))
	api.POST("/tokens", s.handle(s.createToken))
	api.POST("/tokens/revoke", s.handle(s.revokeTokensNamed))
	api.POST("/tokens/:id/revoke", s.handle(s.revokeToken))
}

// organiserOnly refuses every caller but an organiser, also on reads:
// the token list is for those who grant access.
func organiserOnly(c *gin.Context) error {
	if a, ok := panel.ActorFrom(c.Request.Context()); !ok || a.Role != panel.RoleOrganiser {
		return panel.Errorf(panel.EFORBIDDEN, "only role %q may manage API tokens", panel.RoleOrganiser)
	}
	return nil
}

// tokenList is the answer of GET /tokens.
type tokenList struct {
	Tokens []*panel.Token `json:"tokens"`
}

func (s *Server) listTokens(c *gin.Context) error {
	if err := organiserOnly(c); err != nil {
		return err
	}
	toks, err := s.tokenAdmin.ListTokens(c.Request.Context())
	if err != nil {
		return err
	}
	if toks == nil {
		toks = []*panel.Token{}
	}
	s.writeJSON(c, http.StatusOK, tokenList{Tokens: toks})
	return nil
}

// createTokenRequest is the body of POST /tokens.
type createTokenRequest struct {
	Role      string     `json:"role"`
	Name      string     `json:"name"`
	ExpiresAt *time.Time `json:"expires_at"`
}

// createdToken is the answer of POST /tokens: the token and, this once,
// its secret.
type createdToken struct {
	*panel.Token
	Secret string `json:"secret"`
}

func (s *Server) createToken(c *gin.Context) error {
	if err := organiserOnly(c); err != nil {
		return err
	}
	var req createTokenRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		return err
	}
	tok, secret, err := s.tokenAdmin.IssueToken(c.Request.Context(), panel.TokenRequest{Role: req.Role, Name: req.Name, ExpiresAt: req.ExpiresAt})
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	s.writeJSON(c, http.StatusCreated, createdToken{Token: tok, Secret: secret.Reveal()})
	return nil
}

func (s *Server) revokeToken(c *gin.Context) error {
	if err := organiserOnly(c); err != nil {
		return err
	}
	id, err := pathID(c.Param("id"), "token id")
	if err != nil {
		return err
	}
	tok, err := s.tokenAdmin.RevokeTokenByID(c.Request.Context(), id)
	if err != nil {
		return err
	}
	s.writeJSON(c, http.StatusOK, tok)
	return nil
}

// revokeByNameRequest is the body of POST /tokens/revoke.
type revokeByNameRequest struct {
	Name string `json:"name"`
}

func (s *Server) revokeTokensNamed(c *gin.Context) error {
	if err := organiserOnly(c); err != nil {
		return err
	}
	var req revokeByNameRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		return err
	}
	if req.Name == "" {
		return panel.Errorf(panel.EINVALID, "name is required")
	}
	toks, err := s.tokenAdmin.RevokeTokensNamed(c.Request.Context(), req.Name)
	if err != nil {
		return err
	}
	s.writeJSON(c, http.StatusOK, struct {
		Revoked []*panel.Token `json:"revoked"`
	}{toks})
	return nil
}
