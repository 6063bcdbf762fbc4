package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/phone"
)

// RecipientLookup finds people for organisers (*store.Store): by phone
// number, a campaign's list, one recipient with their messages, and the
// failed numbers with the provider's reason.
type RecipientLookup interface {
	panel.RecipientFinder
	// ExportFailed returns the campaign's unreachable numbers and those
	// with a failed or undelivered message; see panel.ExportStore.
	ExportFailed(ctx context.Context, campaignID int64) ([]panel.FailedRow, error)
}

// recipientStates are the states ?state= may name.
var recipientStates = []string{panel.RecipientPending, panel.RecipientInvited, panel.RecipientVolunteered,
	panel.RecipientDeclined, panel.RecipientOptedOut, panel.RecipientUnreachable}

// recipientRoutes registers the routes that find a person. They answer
// phone numbers and message texts, so they are for organisers only, also
// when reading (an auditor gets 403).
func (s *Server) recipientRoutes(api *gin.RouterGroup) {
	api.GET("/recipients", s.handle(s.searchRecipients))
	api.GET("/campaigns/:id/recipients", s.handle(s.listRecipients))
	api.GET("/campaigns/:id/recipients/:rid", s.handle(s.getRecipient))
	api.GET("/campaigns/:id/failed", s.handle(s.listFailed))
}

// organisersFindPeople refuses every caller but an organiser.
func organisersFindPeople(c *gin.Context) error {
	if a, ok := panel.ActorFrom(c.Request.Context()); !ok || a.Role != panel.RoleOrganiser {
		return panel.Errorf(panel.EFORBIDDEN, "only role %q may look up recipients: the answer holds phone numbers", panel.RoleOrganiser)
	}
	return nil
}

// recipientsAnswer is the answer of the recipient lists and searches.
type recipientsAnswer struct {
	Recipients []panel.RecipientDetail `json:"recipients"`
	Total      int                     `json:"total"`
	Phone      panel.Phone             `json:"phone,omitempty"` // the number searched for, normalised to E.164
	// Unmatched are the SMS from the number that belong to no recipient;
	// only in the search of every campaign.
	Unmatched []panel.RecipientMessage `json:"unmatched,omitempty"`
	Limit     int                      `json:"limit,omitempty"`
	Offset    int                      `json:"offset,omitempty"`
}

// searchPhone reads ?phone= in any common format (spaces, dashes,
// brackets, 00 or + with a country code, or a Norwegian national number)
// and returns it in E.164; "" when absent.
func searchPhone(q query) (panel.Phone, error) {
	raw, err := q.str("phone", "")
	if err != nil || raw == "" {
		return "", err
	}
	p, err := phone.Normalize(raw, phone.DefaultRegion)
	if err != nil {
		return "", panel.Errorf(panel.EINVALID, "query parameter phone is not a phone number: %s", panel.ErrorMessage(err))
	}
	return p, nil
}

// searchRecipients answers GET /recipients?phone=...: the person's
// recipients in every campaign, with their messages.
func (s *Server) searchRecipients(c *gin.Context) error {
	if err := organisersFindPeople(c); err != nil {
		return err
	}
	q, err := parseQuery(c.Request, "phone")
	if err != nil {
		return err
	}
	p, err := searchPhone(q)
	if err != nil {
		return err
	}
	if p == "" {
		return panel.Errorf(panel.EINVALID, "query parameter phone is required, e.g. ?phone=912%%2034%%20567")
	}
	return s.answerSearch(c, 0, p)
}

// answerSearch answers the recipients with number p in campaign
// campaignID, or in every campaign (0) with the number's unmatched SMS.
func (s *Server) answerSearch(c *gin.Context, campaignID int64, p panel.Phone) error {
	ctx := c.Request.Context()
	found, err := s.recipients.FindRecipientsByPhone(ctx, campaignID, p)
	if err != nil {
		return err
	}
	out := recipientsAnswer{Recipients: found, Total: len(found), Phone: p}
	if campaignID == 0 {
		if out.Unmatched, err = s.recipients.UnmatchedInbound(ctx, p); err != nil {
			return err
		}
	}
	s.writeJSON(c, http.StatusOK, out)
	return nil
}

// listRecipients answers GET /campaigns/{id}/recipients: with ?phone=, the
// recipients with that number and their messages; otherwise a page of
// the campaign's recipients (?limit, ?offset, ?state) without messages.
func (s *Server) listRecipients(c *gin.Context) error {
	if err := organisersFindPeople(c); err != nil {
		return err
	}
	id, err := pathID(c.Param("id"), "campaign id")
	if err != nil {
		return err
	}
	q, err := parseQuery(c.Request, "phone", "limit", "offset", "state")
	if err != nil {
		return err
	}
	p, err := searchPhone(q)
	if err != nil {
		return err
	}
	if p != "" {
		return s.answerSearch(c, id, p)
	}
	pg, err := parsePageQuery(q, recipientStates...)
	if err != nil {
		return err
	}
	list, total, err := s.recipients.ListRecipients(c.Request.Context(), id, panel.RecipientFilter{State: pg.state, Offset: pg.offset, Limit: pg.limit})
	if err != nil {
		return err
	}
	s.writeJSON(c, http.StatusOK, recipientsAnswer{Recipients: list, Total: total, Limit: pg.limit, Offset: pg.offset})
	return nil
}

// getRecipient answers one recipient with every message, both ways.
func (s *Server) getRecipient(c *gin.Context) error {
	if err := organisersFindPeople(c); err != nil {
		return err
	}
	id, err := pathID(c.Param("id"), "campaign id")
	if err != nil {
		return err
	}
	rid, err := pathID(c.Param("rid"), "recipient id")
	if err != nil {
		return err
	}
	if err := noQuery(c.Request); err != nil {
		return err
	}
	d, err := s.recipients.RecipientDetail(c.Request.Context(), id, rid)
	if err != nil {
		return err
	}
	s.writeJSON(c, http.StatusOK, d)
	return nil
}

// failedNumber is one failed number as GET /campaigns/{id}/failed shows it.
type failedNumber struct {
	PseudoID     string      `json:"pseudo_id"`
	Phone        panel.Phone `json:"phone"`
	State        string      `json:"state"`
	MessageKind  string      `json:"message_kind,omitempty"`
	MessageState string      `json:"message_state,omitempty"`
	ErrorCode    int         `json:"error_code,omitempty"` // Twilio's error code, e.g. 30003 (unreachable) or 21211 (invalid number)
	Error        string      `json:"error,omitempty"`      // Twilio's message for it
	At           time.Time   `json:"at"`
}

// listFailed answers the campaign's failed numbers with Twilio's reason.
func (s *Server) listFailed(c *gin.Context) error {
	if err := organisersFindPeople(c); err != nil {
		return err
	}
	id, err := pathID(c.Param("id"), "campaign id")
	if err != nil {
		return err
	}
	if err := noQuery(c.Request); err != nil {
		return err
	}
	rows, err := s.recipients.ExportFailed(c.Request.Context(), id)
	if err != nil {
		return err
	}
	out := struct {
		Failed []failedNumber `json:"failed"`
		Total  int            `json:"total"`
	}{Failed: make([]failedNumber, len(rows)), Total: len(rows)}
	for i, r := range rows {
		out.Failed[i] = failedNumber{PseudoID: r.PseudoID, Phone: r.Phone, State: r.State, MessageKind: r.MessageKind,
			MessageState: r.MessageState, ErrorCode: r.ErrorCode, Error: r.Error, At: r.At}
	}
	s.writeJSON(c, http.StatusOK, out)
	return nil
}
