package httpapi

import (
	"bytes"
	"mime"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/citizenspanel/panel/internal/export"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/roster"
)

// MemberDeps are the dependencies of the members, calls and export
// routes. Both are required.
type MemberDeps struct {
	// Roster lists a campaign's panel members and reserves and records
	// confirmation calls.
	Roster *roster.Service
	// Exports writes the CSV and XLSX exports.
	Exports *export.Exporter
}

// memberRoutes registers the members list, the confirmation calls and
// the exports. Organisers record calls (the console's callers too, through
// the same roster service); auditors read, without phone numbers.
func (s *Server) memberRoutes(api *gin.RouterGroup) {
	api.GET("/campaigns/:id/members", s.handle(s.listMembers))
	api.GET("/campaigns/:id/members/:member/calls", s.handle(s.listCalls))
	api.POST("/campaigns/:id/members/:member/calls", s.handle(s.recordCall))
	api.POST("/campaigns/:id/members/:member/absences", s.handle(s.reportAbsence))
	api.GET("/campaigns/:id/export/:file", s.handle(s.exportFile))
}

// listMembers answers the campaign's panel and reserves in order with
// their status; phone numbers for organisers only.
func (s *Server) listMembers(c *gin.Context) error {
	cid, err := pathID(c.Param("id"), "campaign id")
	if err != nil {
		return err
	}
	if _, err := parseQuery(c.Request); err != nil {
		return err
	}
	list, err := s.members.Roster.Members(c.Request.Context(), cid)
	if err != nil {
		return err
	}
	s.writeJSON(c, http.StatusOK, list)
	return nil
}

// callList is the answer of GET .../members/{member}/calls.
type callList struct {
	Calls []*panel.Call `json:"calls"`
}

// listCalls answers the calls recorded for one member, oldest first.
func (s *Server) listCalls(c *gin.Context) error {
	cid, err := pathID(c.Param("id"), "campaign id")
	if err != nil {
		return err
	}
	calls, err := s.members.Roster.Calls(c.Request.Context(), cid, c.Param("member"))
	if err != nil {
		return err
	}
	s.writeJSON(c, http.StatusOK, callList{Calls: calls})
	return nil
}

// recordCall records a call outcome for a member or reserve; a decline
// replaces the member from the reserves, audited under the caller.
func (s *Server) recordCall(c *gin.Context) error {
	cid, err := pathID(c.Param("id"), "campaign id")
	if err != nil {
		return err
	}
	var in panel.CallInput
	if err := decodeJSON(c.Request, &in); err != nil {
		return err
	}
	res, err := s.members.Roster.RecordCall(c.Request.Context(), cid, c.Param("member"), in)
	if err != nil {
		return err
	}
	s.writeJSON(c, http.StatusCreated, res)
	return nil
}

// absenceRequest is the body of POST .../members/{member}/absences.
type absenceRequest struct {
	MeetingID int64  `json:"meeting_id"`
	Reason    string `json:"reason"`
}

// reportAbsence records that a member cannot attend a meeting, reported
// by the organiser (who is kept as who reported it).
func (s *Server) reportAbsence(c *gin.Context) error {
	cid, err := pathID(c.Param("id"), "campaign id")
	if err != nil {
		return err
	}
	var req absenceRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		return err
	}
	res, err := s.members.Roster.ReportAbsence(c.Request.Context(), cid, c.Param("member"), req.MeetingID, req.Reason)
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if !res.Created {
		status = http.StatusOK
	}
	s.writeJSON(c, status, res)
	return nil
}

// separators are the values of the export's sep query parameter.
var separators = map[string]rune{"comma": ',', "semicolon": ';', "tab": '\t'}

// exportFile answers one export ({what}.csv or {what}.xlsx) as a download.
// The export is built in memory first, so a failure is still a JSON error.
func (s *Server) exportFile(c *gin.Context) error {
	cid, err := pathID(c.Param("id"), "campaign id")
	if err != nil {
		return err
	}
	what, format, err := export.ParseName(c.Param("file"))
	if err != nil {
		return err
	}
	q, err := parseQuery(c.Request, "sep")
	if err != nil {
		return err
	}
	sep, err := q.str("sep", "comma")
	if err != nil {
		return err
	}
	comma, ok := separators[sep]
	if !ok {
		return panel.Errorf(panel.EINVALID, "query parameter sep must be comma, semicolon or tab, got %q", sep)
	}
	ctx := c.Request.Context()
	var buf bytes.Buffer
	if err := s.members.Exports.Write(ctx, &buf, cid, what, format, panel.ActorOrSystem(ctx), export.Options{Comma: comma}); err != nil {
		return err
	}
	c.Header("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": export.FileName(cid, what, format)}))
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, export.ContentType(format), buf.Bytes())
	return nil
}
