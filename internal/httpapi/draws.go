package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/citizenspanel/panel/internal/draw"
	"github.com/citizenspanel/panel/internal/panel"
)

// DrawService is the draw ceremony as the API uses it; *draw.Service
// implements it.
type DrawService interface {
	// SetQuotas checks quotas against the pool (and feasibility for seats > 0) and stores them.
	SetQuotas(ctx context.Context, campaignID int64, quotas []panel.Quota, seats int) ([]panel.Quota, error)
	// Quotas returns the campaign's quotas.
	Quotas(ctx context.Context, campaignID int64) ([]panel.Quota, error)
	// ImportVolunteers adds complete volunteers from a CSV.
	ImportVolunteers(ctx context.Context, campaignID int64, r io.Reader, opts panel.ImportOptions) (draw.ImportResult, error)
	// CreateDraw freezes the pool and computes the lottery.
	CreateDraw(ctx context.Context, campaignID int64, r draw.Request) (*panel.Draw, error)
	// Find returns a draw.
	Find(ctx context.Context, id int64) (*panel.Draw, error)
	// Members returns a draw's members.
	Members(ctx context.Context, id int64) ([]*panel.DrawMember, error)
	// Seed reveals the seed and returns the record.
	Seed(ctx context.Context, id int64, seed string) ([]byte, error)
	// Notify enqueues the notifications.
	Notify(ctx context.Context, id int64) (draw.NotifyResult, error)
	// Drop drops a member and replaces them.
	Drop(ctx context.Context, drawID int64, pseudoID string) (*panel.DrawMember, error)
	// Public returns the published record.
	Public(ctx context.Context, id int64) ([]byte, error)
}

var _ DrawService = (*draw.Service)(nil)

// drawRoutes registers the draw ceremony: quotas, volunteer import, the
// draw itself, its members and the public record.
func (s *Server) drawRoutes(api *gin.RouterGroup) {
	api.PUT("/campaigns/:id/quotas", s.handle(s.putQuotas))
	api.GET("/campaigns/:id/quotas", s.handle(s.getQuotas))
	api.POST("/campaigns/:id/volunteers", s.idempotent, s.handle(s.importVolunteers))
	s.setBodyLimit(http.MethodPost, "/api/v1/campaigns/:id/volunteers", UploadBodyLimit)
	s.setTimeout(http.MethodPost, "/api/v1/campaigns/:id/volunteers", s.importTime)
	api.POST("/campaigns/:id/draws", s.idempotent, s.handle(s.createDraw))
	api.GET("/draws/:id", s.handle(s.getDraw))
	api.POST("/draws/:id/seed", s.handle(s.seedDraw))
	api.POST("/draws/:id/notify", s.handle(s.notifyDraw))
	api.POST("/draws/:id/members/:member/drop", s.handle(s.dropMember))
	s.publicDrawRoutes()
}

// mediaType returns the request's media type, "" when none is given.
func mediaType(r *http.Request) (string, error) {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return "", nil
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return "", &httpError{status: http.StatusUnsupportedMediaType, code: codeUnsupportedType, message: "malformed Content-Type " + ct}
	}
	return mt, nil
}

// readBody reads the whole body, turning the size cap into a 413.
func readBody(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(r.Body)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return nil, errTooLarge(mbe.Limit)
	}
	if nul, ok := nulError(err); ok {
		return nil, nul
	}
	if err != nil {
		return nil, errMalformed("the body could not be read")
	}
	return b, nil
}

// quotaAnswer is the answer of the quota routes.
type quotaAnswer struct {
	Quotas []panel.Quota `json:"quotas"`
}

// putQuotas replaces a campaign's quotas: CSV (text/csv, any of the quota
// header forms) or JSON (an array of quotas); ?seats=N also checks
// feasibility for that many seats.
func (s *Server) putQuotas(c *gin.Context) error {
	id, err := pathID(c.Param("id"), "campaign id")
	if err != nil {
		return err
	}
	q, err := parseQuery(c.Request, "seats")
	if err != nil {
		return err
	}
	seats, err := q.intIn("seats", 0, 1, 100000)
	if err != nil {
		return err
	}
	mt, err := mediaType(c.Request)
	if err != nil {
		return err
	}
	var quotas []panel.Quota
	switch mt {
	case "text/csv", "application/csv":
		body, err := readBody(c.Request)
		if err != nil {
			return err
		}
		if quotas, err = draw.ParseQuotasCSV(bytes.NewReader(body)); err != nil {
			return err
		}
	case "application/json", "":
		if err := decodeJSONArray(c.Request, &quotas); err != nil {
			return err
		}
	default:
		return &httpError{status: http.StatusUnsupportedMediaType, code: codeUnsupportedType,
			message: "Content-Type must be text/csv or application/json, got " + mt}
	}
	out, err := s.draws.SetQuotas(c.Request.Context(), id, quotas, int(seats))
	if err != nil {
		return err
	}
	s.writeJSON(c, http.StatusOK, quotaAnswer{Quotas: out})
	return nil
}

// decodeJSONArray reads a JSON array of quotas, refusing unknown fields.
func decodeJSONArray(r *http.Request, v *[]panel.Quota) error {
	body, err := readBody(r)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return errMalformed("request body must hold one JSON array and nothing after it")
	}
	return refuseNULIn(v)
}

// getQuotas answers a campaign's quotas.
func (s *Server) getQuotas(c *gin.Context) error {
	id, err := pathID(c.Param("id"), "campaign id")
	if err != nil {
		return err
	}
	qs, err := s.draws.Quotas(c.Request.Context(), id)
	if err != nil {
		return err
	}
	s.writeJSON(c, http.StatusOK, quotaAnswer{Quotas: qs})
	return nil
}

// importFailure is the answer of an all-or-nothing import that rejected rows.
type importFailure struct {
	Error    errorDetail      `json:"error"`
	Rejected []panel.RowError `json:"rejected"`
}

// importVolunteers adds complete volunteers from a CSV (?partial=true
// keeps the good rows; ?address_columns=a,b names the address columns;
// ?columns=phone:Tlf,... names columns).
func (s *Server) importVolunteers(c *gin.Context) error {
	id, err := pathID(c.Param("id"), "campaign id")
	if err != nil {
		return err
	}
	q, err := parseQuery(c.Request, "partial", "address_columns", "columns")
	if err != nil {
		return err
	}
	opts, err := importOptions(q)
	if err != nil {
		return err
	}
	if raw, err := q.str("address_columns", ""); err != nil {
		return err
	} else if raw != "" {
		opts.AddressColumns = strings.Split(raw, ",")
	}
	mt, err := mediaType(c.Request)
	if err != nil {
		return err
	}
	if mt != "" && mt != "text/csv" && mt != "application/csv" {
		return &httpError{status: http.StatusUnsupportedMediaType, code: codeUnsupportedType, message: "Content-Type must be text/csv, got " + mt}
	}
	body, err := readBody(c.Request)
	if err != nil {
		return err
	}
	res, err := s.draws.ImportVolunteers(c.Request.Context(), id, bytes.NewReader(body), opts)
	var ie *panel.ImportError
	if errors.As(err, &ie) {
		c.AbortWithStatusJSON(statusOf(ie.Err.Code), importFailure{Error: errorDetail{Code: ie.Err.Code, Message: ie.Err.Message}, Rejected: ie.Rejected})
		return nil
	}
	if err != nil {
		return err
	}
	s.writeJSON(c, http.StatusOK, res)
	return nil
}

// drawAnswer is a draw as the admin API shows it.
type drawAnswer struct {
	*panel.Draw
	Members []*memberAnswer `json:"members,omitempty"`
}

// memberAnswer is a member as the admin API shows it: organisers also see
// which recipient it is; auditors see the pseudonym only.
type memberAnswer struct {
	*panel.DrawMember
	RecipientID int64 `json:"recipient_id,omitempty"`
	// VolunteerID is the volunteer's own id (for imported volunteers the
	// organiser's id, which the public record replaces by the pseudonym).
	VolunteerID string `json:"volunteer_id,omitempty"`
}

// createDraw freezes the pool and starts the lottery.
func (s *Server) createDraw(c *gin.Context) error {
	id, err := pathID(c.Param("id"), "campaign id")
	if err != nil {
		return err
	}
	var req draw.Request
	if err := decodeJSON(c.Request, &req); err != nil {
		return err
	}
	d, err := s.draws.CreateDraw(c.Request.Context(), id, req)
	if err != nil {
		return err
	}
	c.Header("Location", "/api/v1/draws/"+strconv.FormatInt(d.ID, 10))
	s.writeJSON(c, http.StatusCreated, d)
	return nil
}

// getDraw answers a draw with its state, progress and members.
func (s *Server) getDraw(c *gin.Context) error {
	id, err := pathID(c.Param("id"), "draw id")
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	d, err := s.draws.Find(ctx, id)
	if err != nil {
		return err
	}
	ms, err := s.draws.Members(ctx, id)
	if err != nil {
		return err
	}
	organiser := panel.ActorOrSystem(ctx).Role == panel.RoleOrganiser
	out := drawAnswer{Draw: d, Members: make([]*memberAnswer, len(ms))}
	for i, m := range ms {
		out.Members[i] = &memberAnswer{DrawMember: m}
		if organiser {
			out.Members[i].RecipientID = m.RecipientID
			out.Members[i].VolunteerID = m.ExternalID
		}
	}
	s.writeJSON(c, http.StatusOK, out)
	return nil
}

// seedRequest is the body of POST /api/v1/draws/{id}/seed.
type seedRequest struct {
	Seed string `json:"seed"`
}

// seedDraw reveals the seed and answers the record.
func (s *Server) seedDraw(c *gin.Context) error {
	id, err := pathID(c.Param("id"), "draw id")
	if err != nil {
		return err
	}
	var req seedRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		return err
	}
	rec, err := s.draws.Seed(c.Request.Context(), id, req.Seed)
	if err != nil {
		return err
	}
	c.Data(http.StatusOK, "application/json", rec)
	return nil
}

// notifyDraw enqueues the notifications.
func (s *Server) notifyDraw(c *gin.Context) error {
	id, err := pathID(c.Param("id"), "draw id")
	if err != nil {
		return err
	}
	res, err := s.draws.Notify(c.Request.Context(), id)
	if err != nil {
		return err
	}
	s.writeJSON(c, http.StatusAccepted, res)
	return nil
}

// dropMember drops a member and replaces them.
func (s *Server) dropMember(c *gin.Context) error {
	id, err := pathID(c.Param("id"), "draw id")
	if err != nil {
		return err
	}
	m, err := s.draws.Drop(c.Request.Context(), id, c.Param("member"))
	if err != nil {
		return err
	}
	s.writeJSON(c, http.StatusOK, m)
	return nil
}
