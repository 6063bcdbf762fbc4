package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/citizenspanel/panel/internal/panel"
)

// auditList is the answer of GET /api/v1/audit.
type auditList struct {
	Events []*panel.AuditEvent `json:"events"`
}

// listAudit answers audit events in sequence order (?after=SEQ, ?limit=1..1000
// default 100, ?subject=campaign/3).
func (s *Server) listAudit(c *gin.Context) error {
	q, err := parseQuery(c.Request, "after", "limit", "subject")
	if err != nil {
		return err
	}
	after, err := q.intIn("after", 0, 0, 1<<62)
	if err != nil {
		return err
	}
	limit, err := q.intIn("limit", 100, 1, 1000)
	if err != nil {
		return err
	}
	subject, err := q.str("subject", "")
	if err != nil {
		return err
	}
	if len(subject) > 200 {
		return panel.Errorf(panel.EINVALID, "query parameter subject must be at most 200 bytes, got %d", len(subject))
	}
	events, err := s.audit.ListAuditEvents(c.Request.Context(), panel.AuditFilter{AfterSeq: after, Subject: subject, Limit: int(limit)})
	if err != nil {
		return err
	}
	if events == nil {
		events = []*panel.AuditEvent{}
	}
	s.writeJSON(c, http.StatusOK, auditList{Events: events})
	return nil
}

// auditVerification is the answer of GET /api/v1/audit/verify.
type auditVerification struct {
	OK     bool `json:"ok"`
	Events int  `json:"events"`
}

// verifyAudit re-checks the whole hash chain; a broken chain is the
// store's EINVALID error naming the first broken event.
func (s *Server) verifyAudit(c *gin.Context) error {
	if _, err := parseQuery(c.Request); err != nil {
		return err
	}
	n, err := s.audit.VerifyAuditChain(c.Request.Context())
	if err != nil {
		return err
	}
	s.writeJSON(c, http.StatusOK, auditVerification{OK: true, Events: n})
	return nil
}
