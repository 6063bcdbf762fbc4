package console

import (
	"bytes"
	"mime"
	"net/http"
	"slices"

	"github.com/citizenspanel/panel/internal/export"
	"github.com/citizenspanel/panel/internal/panel"
)

// exportFile is GET /campaigns/{id}/export/{what}.{csv|xlsx}: a download,
// built in memory first so a failure is still a page. Phone numbers only
// for organisers and callers; callers only the panel and the reserves.
// ?sep=semicolon writes a CSV for a spreadsheet whose list separator is a
// semicolon.
func (c *Console) exportFile(w http.ResponseWriter, r *http.Request) {
	id, ok := campaignID(r)
	if !ok {
		c.notFound(w, r)
		return
	}
	v := c.viewerFrom(r)
	what, format, err := export.ParseName(r.PathValue("file"))
	if err != nil {
		c.notFound(w, r)
		return
	}
	if !slices.Contains(exportsFor(v.User.Role), what) {
		c.renderError(w, r, v, http.StatusForbidden, v.L.T("error.forbidden"))
		return
	}
	opts := export.Options{}
	if r.URL.Query().Get("sep") == "semicolon" {
		opts.Comma = ';'
	}
	var buf bytes.Buffer
	if err := c.exports.Write(r.Context(), &buf, id, what, format, panel.ActorOrSystem(r.Context()), opts); err != nil {
		if panel.ErrorCode(err) == panel.ECONFLICT {
			c.renderError(w, r, v, http.StatusConflict, v.L.T("members.export_no_draw"))
			return
		}
		c.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", export.ContentType(format))
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": export.FileName(id, what, format)}))
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes())
}
