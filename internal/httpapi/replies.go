package httpapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/citizenspanel/panel/internal/panel"
)

// inboxMessage is one inbox message as the API shows it. Organisers see
// the body and their resolution notes; auditors see neither (Body and
// Resolution are left out), only the recipient's pseudonym, states and
// times. Phone numbers are never shown.
type inboxMessage struct {
	ID                int64      `json:"id"`
	RecipientPseudoID string     `json:"recipient_pseudo_id,omitempty"`
	Body              *string    `json:"body,omitempty"`
	Reply             string     `json:"reply"`
	Inbox             string     `json:"inbox"`
	Resolution        *string    `json:"resolution,omitempty"`
	ReceivedAt        time.Time  `json:"received_at"`
	ResolvedAt        *time.Time `json:"resolved_at,omitempty"`
}

// inboxView turns a stored message into its API form for role.
func inboxView(m *panel.InboundMessage, role string) inboxMessage {
	v := inboxMessage{
		ID: m.ID, RecipientPseudoID: m.RecipientPseudoID, Reply: m.Reply, Inbox: m.Inbox,
		ReceivedAt: m.ReceivedAt, ResolvedAt: m.ResolvedAt,
	}
	if role == panel.RoleOrganiser {
		body, res := m.Body, m.Resolution
		v.Body = &body
		if m.Inbox == panel.InboxResolved {
			v.Resolution = &res
		}
	}
	return v
}

// inboxList is the answer of GET /api/v1/campaigns/{id}/inbox.
type inboxList struct {
	Messages []inboxMessage `json:"messages"`
	Total    int            `json:"total"`
	Limit    int            `json:"limit"`
	Offset   int            `json:"offset"`
}

// listInbox answers a page of the campaign's inbox (?state=open|resolved,
// both when absent; ?limit=1..1000, default 100; ?offset), oldest first.
func (s *Server) listInbox(c *gin.Context) error {
	ctx := c.Request.Context()
	id, err := pathID(c.Param("id"), "campaign id")
	if err != nil {
		return err
	}
	pg, err := parsePage(c.Request, panel.InboxOpen, panel.InboxResolved)
	if err != nil {
		return err
	}
	if _, err := s.campaigns.FindCampaignByID(ctx, id); err != nil {
		return err
	}
	msgs, total, err := s.replies.Inbox.Inbox(ctx, id, panel.InboxFilter{State: pg.state, Offset: pg.offset, Limit: pg.limit})
	if err != nil {
		return err
	}
	actor, _ := panel.ActorFrom(ctx)
	role := actor.Role
	out := inboxList{Messages: make([]inboxMessage, len(msgs)), Total: total, Limit: pg.limit, Offset: pg.offset}
	for i, m := range msgs {
		out.Messages[i] = inboxView(m, role)
	}
	s.writeJSON(c, http.StatusOK, out)
	return nil
}

// resolveRequest is the body of POST .../inbox/{mid}/resolve.
type resolveRequest struct {
	Resolution *string `json:"resolution"`
}

// resolveInbox marks an inbox message resolved with the organiser's note;
// the store writes the audit event in the same transaction.
func (s *Server) resolveInbox(c *gin.Context) error {
	ctx := c.Request.Context()
	id, err := pathID(c.Param("id"), "campaign id")
	if err != nil {
		return err
	}
	mid, err := pathID(c.Param("mid"), "message id")
	if err != nil {
		return err
	}
	var req resolveRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		return err
	}
	if req.Resolution == nil {
		return panel.Errorf(panel.EINVALID, "resolution is required (a note on what was done, may be empty)")
	}
	m, err := s.replies.Inbox.Resolve(ctx, id, mid, *req.Resolution)
	if err != nil {
		return err
	}
	s.writeJSON(c, http.StatusOK, inboxView(m, panel.RoleOrganiser))
	return nil
}

// poolVolunteer is one volunteer of the pool. Organisers also see the
// recipient id (to find the person's record); auditors see only the
// pseudonymous id and the category values.
type poolVolunteer struct {
	ID          string            `json:"id"`
	Values      map[string]string `json:"values"`
	RecipientID int64             `json:"recipient_id,omitempty"`
	Source      string            `json:"source,omitempty"`
}

// poolAnswer is the answer of GET /api/v1/campaigns/{id}/pool.
type poolAnswer struct {
	Volunteers  []poolVolunteer   `json:"volunteers"`
	Composition panel.Composition `json:"composition"`
}

// getPool answers the campaign's complete volunteers and the pool's
// composition against the quotas, with the minimums it cannot meet now.
func (s *Server) getPool(c *gin.Context) error {
	ctx := c.Request.Context()
	id, err := pathID(c.Param("id"), "campaign id")
	if err != nil {
		return err
	}
	if _, err := parseQuery(c.Request); err != nil {
		return err
	}
	if _, err := s.campaigns.FindCampaignByID(ctx, id); err != nil {
		return err
	}
	pool, err := s.replies.Inbox.Pool(ctx, id)
	if err != nil {
		return err
	}
	quotas, err := s.replies.Quotas.ListQuotas(ctx, id)
	if err != nil {
		return err
	}
	actor, _ := panel.ActorFrom(ctx)
	organiser := actor.Role == panel.RoleOrganiser
	out := poolAnswer{Volunteers: make([]poolVolunteer, len(pool)), Composition: panel.Compose(pool, quotas)}
	for i, v := range pool {
		values := v.Values
		if values == nil {
			values = map[string]string{}
		}
		out.Volunteers[i] = poolVolunteer{ID: v.ExternalID, Values: values}
		if organiser {
			out.Volunteers[i].RecipientID, out.Volunteers[i].Source = v.RecipientID, v.Source
		}
	}
	s.writeJSON(c, http.StatusOK, out)
	return nil
}
