package httpapi

import (
	"bytes"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/publicpage"
)

// publicDrawRoutes registers the public draw page, its record and quota
// downloads and the page's embedded assets; no token is needed.
func (s *Server) publicDrawRoutes() {
	s.engine.GET("/public/draws/:id", s.limitTime, s.handle(s.publicDraw))
	s.engine.GET("/public/draws/:id/record.json", s.limitTime, s.handle(s.publicDrawRecord))
	s.engine.GET("/public/draws/:id/quotas.csv", s.limitTime, s.handle(s.publicDrawQuotas))
	assets := gin.WrapH(publicpage.Assets())
	s.engine.GET(publicpage.AssetsPath+":file", assets)
	s.engine.HEAD(publicpage.AssetsPath+":file", assets)
}

// wantsHTML reports whether the client prefers an HTML page to JSON: a
// browser's Accept header lists text/html with a higher quality than
// application/json (or lists no JSON).
func wantsHTML(r *http.Request) bool {
	html, json := -1.0, -1.0
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if v, ok := params["q"]; ok {
			x, err := strconv.ParseFloat(v, 64)
			if err != nil {
				x = 0
			}
			q = x
		}
		switch mt {
		case "text/html", "application/xhtml+xml":
			html = max(html, q)
		case "application/json":
			json = max(json, q)
		}
	}
	return html > 0 && html > json
}

// publicDraw serves the published draw: an HTML page to a browser
// (Accept: text/html; bokmål or English from ?lang or Accept-Language), the
// record JSON to any other client.
func (s *Server) publicDraw(c *gin.Context) error {
	if !wantsHTML(c.Request) {
		return s.publicDrawRecord(c)
	}
	id, err := pathID(c.Param("id"), "draw id")
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	rec, err := s.draws.Public(ctx, id)
	if err != nil {
		return err
	}
	d, err := s.draws.Find(ctx, id)
	if err != nil {
		return err
	}
	lang := publicpage.Language(c.GetHeader("Accept-Language"))
	if l := c.Query("lang"); l == "nb" || l == "en" {
		lang = l
	}
	var b bytes.Buffer
	if err := publicpage.Render(&b, lang, publicpage.Draw{ID: d.ID, State: d.State, CreatedAt: d.CreatedAt, CommittedAt: d.CommittedAt, SeededAt: d.SeededAt, Record: rec}); err != nil {
		return err
	}
	c.Header("Vary", "Accept, Accept-Language")
	c.Header("Content-Language", lang)
	c.Data(http.StatusOK, "text/html; charset=utf-8", b.Bytes())
	return nil
}

// publicDrawRecord serves the published record as JSON.
func (s *Server) publicDrawRecord(c *gin.Context) error {
	id, err := pathID(c.Param("id"), "draw id")
	if err != nil {
		return err
	}
	rec, err := s.draws.Public(c.Request.Context(), id)
	if err != nil {
		return err
	}
	c.Header("Vary", "Accept")
	c.Data(http.StatusOK, "application/json", rec)
	return nil
}

// publicDrawQuotas serves the draw's quotas as a quota CSV file that panel
// verify --categories reads.
func (s *Server) publicDrawQuotas(c *gin.Context) error {
	id, err := pathID(c.Param("id"), "draw id")
	if err != nil {
		return err
	}
	rec, err := s.draws.Public(c.Request.Context(), id)
	if err != nil {
		return err
	}
	b, err := publicpage.QuotasCSV(rec)
	if err != nil {
		return panel.Errorf(panel.EINTERNAL, "quotas of draw %d: %v", id, err)
	}
	c.Header("Content-Disposition", `attachment; filename="quotas.csv"`)
	c.Data(http.StatusOK, "text/csv; charset=utf-8", b)
	return nil
}
