package console

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/citizenspanel/panel/internal/panel"
)

// recipientsConfirm imports the file the preview showed: the good rows,
// all in one transaction, with the rejected ones listed. Posted twice, it
// imports once.
func (c *Console) recipientsConfirm(w http.ResponseWriter, r *http.Request) {
	d, ok := c.recipientsPageFor(w, r)
	if !ok {
		return
	}
	v := c.viewerFrom(r)
	r.Body = http.MaxBytesReader(w, r.Body, 2*MaxUploadBytes)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			d.Error = v.L.T("recipients.too_large", MaxUploadBytes>>20)
			c.showRecipients(w, r, http.StatusRequestEntityTooLarge, d)
			return
		}
		d.Error = v.L.T("error.bad_form")
		c.showRecipients(w, r, http.StatusBadRequest, d)
		return
	}
	content := r.PostFormValue("content")
	if content == "" {
		d.Error = v.L.T("recipients.no_file")
		c.showRecipients(w, r, http.StatusUnprocessableEntity, d)
		return
	}
	var result panel.ImportResult
	var failed error
	loc, repeated := c.once.do("import/"+r.PostFormValue("nonce"), c.now(), func() string {
		res, err := c.invites.ImportRecipientsCSV(r.Context(), d.Campaign.ID, strings.NewReader(content), panel.ImportOptions{Partial: true})
		if err != nil {
			failed = err
			return ""
		}
		result = res
		return fmt.Sprintf("/campaigns/%d", d.Campaign.ID)
	})
	var ie *panel.ImportError
	switch {
	case errors.As(failed, &ie):
		d.Error = v.L.T("recipients.none_imported")
		d.Result = &panel.ImportResult{Rejected: rowReasons(v.L, ie.Rejected)}
		c.showRecipients(w, r, http.StatusUnprocessableEntity, d)
		return
	case panel.ErrorCode(failed) == panel.EINVALID || panel.ErrorCode(failed) == panel.ECONFLICT:
		d.Error = panel.ErrorMessage(failed)
		c.showRecipients(w, r, http.StatusUnprocessableEntity, d)
		return
	case failed != nil:
		c.fail(w, r, failed)
		return
	case repeated:
		redirect(w, r, loc+"?notice=repeated")
		return
	}
	d.Existing += result.Imported
	result.Rejected = rowReasons(v.L, result.Rejected)
	d.Result = &result
	c.showRecipients(w, r, http.StatusOK, d)
}
