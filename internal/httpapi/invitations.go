package httpapi

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/citizenspanel/panel/internal/columns"
	"github.com/citizenspanel/panel/internal/panel"
)

// recipientsRoute is the template of the recipient import route.
const recipientsRoute = "/api/v1/campaigns/:id/recipients"

// csvTypes are the Content-Types a recipient upload may declare.
var csvTypes = map[string]bool{
	"text/csv": true, "application/csv": true, "text/plain": true,
	"application/vnd.ms-excel": true, "application/octet-stream": true,
}

// invitationRoutes registers the invitation round's routes on the
// authenticated /api/v1 group.
func (s *Server) invitationRoutes(api *gin.RouterGroup) {
	api.POST("/campaigns/:id/recipients", s.idempotent, s.handle(s.importRecipients))
	s.setBodyLimit(http.MethodPost, recipientsRoute, RecipientsBodyLimit)
	s.setTimeout(http.MethodPost, recipientsRoute, s.importTime)
	api.POST("/campaigns/:id/send", s.handle(s.sendInvitations))
	api.POST("/campaigns/:id/pause", s.handle(s.pauseCampaign))
	api.POST("/campaigns/:id/resume", s.handle(s.resumeCampaign))
	api.GET("/campaigns/:id/stats", s.handle(s.campaignStats))
}

// importRejectedBody is the 422 answer of an all-or-nothing import that
// rejected rows: the usual error plus the rejected rows (the first
// panel.MaxListedRejections; rejected_unlisted counts the rest).
type importRejectedBody struct {
	Error            errorDetail      `json:"error"`
	Rejected         []panel.RowError `json:"rejected"`
	RejectedUnlisted int              `json:"rejected_unlisted,omitempty"`
}

// importRecipients stores the CSV body's recipients (?partial=true keeps
// the good rows of a file with bad ones; ?columns=phone:Tlf,... names
// columns).
func (s *Server) importRecipients(c *gin.Context) error {
	id, err := pathID(c.Param("id"), "campaign id")
	if err != nil {
		return err
	}
	q, err := parseQuery(c.Request, "partial", "columns")
	if err != nil {
		return err
	}
	opts, err := importOptions(q)
	if err != nil {
		return err
	}
	if ct := c.GetHeader("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || !csvTypes[mt] {
			return &httpError{status: http.StatusUnsupportedMediaType, code: codeUnsupportedType,
				message: fmt.Sprintf("Content-Type must be text/csv, got %q", ct)}
		}
	}
	res, err := s.invitations.ImportRecipientsCSV(c.Request.Context(), id, c.Request.Body, opts)
	var mbe *http.MaxBytesError
	var ie *panel.ImportError
	switch {
	case errors.As(err, &mbe):
		return errTooLarge(mbe.Limit)
	case errors.As(err, &ie):
		c.Abort()
		c.PureJSON(http.StatusUnprocessableEntity, importRejectedBody{
			Error:    errorDetail{Code: panel.EINVALID, Message: ie.Err.Message},
			Rejected: ie.Rejected, RejectedUnlisted: ie.Unlisted,
		})
		return nil
	case err != nil:
		return err
	}
	c.PureJSON(http.StatusOK, res)
	return nil
}

// sendInvitations starts sending; the sender works in the background.
func (s *Server) sendInvitations(c *gin.Context) error {
	id, err := pathID(c.Param("id"), "campaign id")
	if err != nil {
		return err
	}
	if err := noQuery(c.Request); err != nil {
		return err
	}
	res, err := s.invitations.Send(c.Request.Context(), id)
	if err != nil {
		return err
	}
	s.writeJSON(c, http.StatusAccepted, res)
	return nil
}

// pauseCampaign holds the campaign's queued messages.
func (s *Server) pauseCampaign(c *gin.Context) error {
	return s.changeState(c, s.invitations.Pause)
}

// resumeCampaign releases them again.
func (s *Server) resumeCampaign(c *gin.Context) error {
	return s.changeState(c, s.invitations.Resume)
}

func (s *Server) changeState(c *gin.Context, change func(ctx context.Context, id int64) (*panel.Campaign, error)) error {
	id, err := pathID(c.Param("id"), "campaign id")
	if err != nil {
		return err
	}
	if err := noQuery(c.Request); err != nil {
		return err
	}
	camp, err := change(c.Request.Context(), id)
	if err != nil {
		return err
	}
	s.writeJSON(c, http.StatusOK, camp)
	return nil
}

// campaignStats answers the campaign's progress.
func (s *Server) campaignStats(c *gin.Context) error {
	id, err := pathID(c.Param("id"), "campaign id")
	if err != nil {
		return err
	}
	if err := noQuery(c.Request); err != nil {
		return err
	}
	st, err := s.invitations.Stats(c.Request.Context(), id)
	if err != nil {
		return err
	}
	c.PureJSON(http.StatusOK, st)
	return nil
}

// noQuery refuses any query parameter.
func noQuery(r *http.Request) error {
	_, err := parseQuery(r)
	return err
}

// importOptions reads the query parameters partial and columns of an import.
func importOptions(q query) (panel.ImportOptions, error) {
	partial, err := q.str("partial", "false")
	if err != nil {
		return panel.ImportOptions{}, err
	}
	if partial != "true" && partial != "false" {
		return panel.ImportOptions{}, panel.Errorf(panel.EINVALID, "query parameter partial must be true or false, got %q", partial)
	}
	raw, err := q.str("columns", "")
	if err != nil {
		return panel.ImportOptions{}, err
	}
	m, err := columns.ParseMapping(raw)
	if err != nil {
		return panel.ImportOptions{}, err
	}
	return panel.ImportOptions{Partial: partial == "true", Columns: m}, nil
}
