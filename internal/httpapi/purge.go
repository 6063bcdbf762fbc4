package httpapi

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/phone"
)

// purgeRoutes registers POST /api/v1/campaigns/{id}/purge (organisers
// only: authenticate refuses auditors every write).
func (s *Server) purgeRoutes(api *gin.RouterGroup) {
	api.POST("/campaigns/:id/purge", s.handle(s.purgeCampaign))
	api.POST("/purge", s.handle(s.purgeAcross))
}

// purgeAcrossRequest is the body of POST /api/v1/purge: exactly one of
// phone (a GDPR request that names a number: that person in every
// campaign, and every SMS from the number) or unknown_inbound (every SMS
// received so far from numbers in no campaign).
type purgeAcrossRequest struct {
	Phone          *string `json:"phone"`
	UnknownInbound bool    `json:"unknown_inbound"`
}

// purgeAcrossAnswer is the answer of POST /api/v1/purge.
type purgeAcrossAnswer struct {
	panel.PurgeResult
	Changed bool `json:"changed"`
}

// purgeAcross purges across campaigns: one phone number, or the SMS from
// numbers in no campaign.
func (s *Server) purgeAcross(c *gin.Context) error {
	var req purgeAcrossRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		return err
	}
	ctx := c.Request.Context()
	switch {
	case req.Phone != nil && req.UnknownInbound:
		return panel.Errorf(panel.EINVALID, "give exactly one of phone or unknown_inbound, got both")
	case req.Phone != nil:
		p, err := phone.Normalize(*req.Phone, "")
		if err != nil {
			return panel.Errorf(panel.EINVALID, "phone: %s", panel.ErrorMessage(err))
		}
		res, err := s.purge.PurgePhone(ctx, p)
		if err != nil {
			return err
		}
		s.writeJSON(c, http.StatusOK, purgeAcrossAnswer{PurgeResult: res, Changed: res.Changed()})
	case req.UnknownInbound:
		n, err := s.purge.PurgeUnknownInbound(ctx, s.now())
		if err != nil {
			return err
		}
		res := panel.PurgeResult{Scope: "unknown_inbound", InboundMessages: n}
		s.writeJSON(c, http.StatusOK, purgeAcrossAnswer{PurgeResult: res, Changed: n > 0})
	default:
		return panel.Errorf(panel.EINVALID, "give exactly one of phone or unknown_inbound (true)")
	}
	return nil
}

// purgeRequest is the optional body of POST .../purge: no body (or {})
// purges everyone in the campaign; one field purges one person.
type purgeRequest struct {
	Recipient  *int64  `json:"recipient"`
	Pseudonym  *string `json:"pseudonym"`
	ExternalID *string `json:"external_id"`
}

// person reports whether the request names a person, and which.
func (r purgeRequest) person() (panel.PurgeTarget, bool) {
	var t panel.PurgeTarget
	if r.Recipient != nil {
		t.RecipientID = *r.Recipient
	}
	if r.Pseudonym != nil {
		t.PseudoID = *r.Pseudonym
	}
	if r.ExternalID != nil {
		t.ExternalID = *r.ExternalID
	}
	return t, r.Recipient != nil || r.Pseudonym != nil || r.ExternalID != nil
}

// purgeAnswer is the answer of POST .../purge.
type purgeAnswer struct {
	panel.PurgeResult
	Changed bool `json:"changed"` // false when there was nothing left to delete
}

// purgeCampaign deletes personal data: of everyone once the panel has
// ended (409 before), or of the one person the body names, at any time.
func (s *Server) purgeCampaign(c *gin.Context) error {
	cid, err := pathID(c.Param("id"), "campaign id")
	if err != nil {
		return err
	}
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return errTooLarge(mbe.Limit)
		}
		if nul, ok := nulError(err); ok {
			return nul
		}
		return errMalformed("could not read the request body")
	}
	var req purgeRequest
	if len(bytes.TrimSpace(body)) > 0 {
		c.Request.Body = io.NopCloser(bytes.NewReader(body))
		if err := decodeJSON(c.Request, &req); err != nil {
			return err
		}
	}
	ctx := c.Request.Context()
	var res panel.PurgeResult
	if t, ok := req.person(); ok {
		if err := validPurgeTarget(req); err != nil {
			return err
		}
		res, err = s.purge.PurgePerson(ctx, cid, t)
	} else {
		res, err = s.purge.PurgeCampaign(ctx, cid)
	}
	if err != nil {
		return err
	}
	s.writeJSON(c, http.StatusOK, purgeAnswer{PurgeResult: res, Changed: res.Changed()})
	return nil
}

// validPurgeTarget refuses empty or non-positive values before the
// service's own check, naming the field.
func validPurgeTarget(r purgeRequest) error {
	switch {
	case r.Recipient != nil && *r.Recipient <= 0:
		return panel.Errorf(panel.EINVALID, "recipient must be a positive id, got %d", *r.Recipient)
	case r.Pseudonym != nil && strings.TrimSpace(*r.Pseudonym) == "":
		return panel.Errorf(panel.EINVALID, "pseudonym must not be empty")
	case r.ExternalID != nil && strings.TrimSpace(*r.ExternalID) == "":
		return panel.Errorf(panel.EINVALID, "external_id must not be empty")
	}
	return nil
}
