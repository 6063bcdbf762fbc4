package console

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/citizenspanel/panel/internal/draw"
	"github.com/citizenspanel/panel/internal/panel"
)

// quotasSave stores the quota table as edited in the browser. Rows left
// empty are skipped; a bad number names its row in the viewer's language
// and nothing is stored.
func (c *Console) quotasSave(w http.ResponseWriter, r *http.Request) {
	v := c.viewerFrom(r)
	if !c.readForm(w, r) {
		return
	}
	rows, quotas, msg := readQuotaRows(v, r.PostForm)
	if msg == "" && len(quotas) == 0 {
		msg = v.L.T("quotas.none_given")
	}
	if msg != "" {
		c.quotasAgain(w, r, rows, msg)
		return
	}
	c.storeQuotas(w, r, "quotas/", rows, quotas)
}

// quotasUpload stores a quota file (CSV in any header form, encoding and
// separator the API takes).
func (c *Console) quotasUpload(w http.ResponseWriter, r *http.Request) {
	v := c.viewerFrom(r)
	r.Body = http.MaxBytesReader(w, r.Body, formBodyLimit)
	f, _, err := r.FormFile("file")
	if err != nil {
		c.quotasAgain(w, r, nil, v.L.T("quotas.no_file"))
		return
	}
	defer f.Close()
	quotas, err := draw.ParseQuotasCSV(f)
	if err != nil {
		c.quotasAgain(w, r, nil, v.L.T("quotas.bad_file", panel.ErrorMessage(err)))
		return
	}
	c.storeQuotas(w, r, "quotas-upload/", nil, quotas)
}

// storeQuotas stores quotas once per form (key and nonce) and goes back to
// the page.
func (c *Console) storeQuotas(w http.ResponseWriter, r *http.Request, key string, rows []quotaRow, quotas []panel.Quota) {
	id, ok := campaignID(r)
	if !ok {
		c.notFound(w, r)
		return
	}
	var failed error
	loc, repeated := c.once.do(key+r.FormValue("nonce"), c.now(), func() string {
		if _, err := c.draws.SetQuotas(r.Context(), id, quotas, 0); err != nil {
			failed = err
			return ""
		}
		return quotasPath(id, r.FormValue("seats"), "saved")
	})
	if panel.ErrorCode(failed) == panel.EINVALID {
		c.quotasAgain(w, r, rows, panel.ErrorMessage(failed))
		return
	}
	if failed != nil {
		c.fail(w, r, failed)
		return
	}
	if repeated {
		loc = quotasPath(id, r.FormValue("seats"), "repeated")
	}
	redirect(w, r, loc)
}

// quotasRelax applies the smallest relaxation the feasibility check
// suggests for the form's seats: the one-click fix.
func (c *Console) quotasRelax(w http.ResponseWriter, r *http.Request) {
	v := c.viewerFrom(r)
	id, ok := campaignID(r)
	if !ok {
		c.notFound(w, r)
		return
	}
	if !c.readForm(w, r) {
		return
	}
	seats, err := strconv.Atoi(strings.TrimSpace(r.PostForm.Get("seats")))
	if err != nil || seats <= 0 {
		c.quotasAgain(w, r, nil, v.L.T("quotas.bad_seats", r.PostForm.Get("seats")))
		return
	}
	var failed error
	loc, repeated := c.once.do("relax/"+r.PostForm.Get("nonce"), c.now(), func() string {
		if _, err := c.draws.Relax(r.Context(), id, seats); err != nil {
			failed = err
			return ""
		}
		return quotasPath(id, strconv.Itoa(seats), "relaxed")
	})
	if code := panel.ErrorCode(failed); code == panel.EINVALID || code == panel.ECONFLICT {
		c.quotasAgain(w, r, nil, v.L.T("quotas.relax_failed", panel.ErrorMessage(failed)))
		return
	}
	if failed != nil {
		c.fail(w, r, failed)
		return
	}
	if repeated {
		loc = quotasPath(id, strconv.Itoa(seats), "repeated")
	}
	redirect(w, r, loc)
}

// quotasAgain shows the quota page again with msg and the rows as posted.
func (c *Console) quotasAgain(w http.ResponseWriter, r *http.Request, rows []quotaRow, msg string) {
	v := c.viewerFrom(r)
	p, err := c.quotasData(r, rows)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	p.Error = msg
	c.render(w, r, http.StatusUnprocessableEntity, "quotas", v.L.T("quotas.title", p.Campaign.Name), "campaigns", p)
}

// quotasPath is the quota page's address with the seats kept.
func quotasPath(id int64, seats, notice string) string {
	q := url.Values{}
	if seats = strings.TrimSpace(seats); seats != "" {
		q.Set("seats", seats)
	}
	if notice != "" {
		q.Set("notice", notice)
	}
	return fmt.Sprintf("/campaigns/%d/quotas?%s", id, q.Encode())
}

// errRowCount is a form whose columns differ in length.
var errRowCount = errors.New("quota form columns differ in length")

// readQuotaRows reads the edit form's rows. It returns the rows as typed,
// the quotas of the rows that are not empty, and the first problem in the
// viewer's language ("" when none).
func readQuotaRows(v viewer, form url.Values) ([]quotaRow, []panel.Quota, string) {
	cols := [][]string{form["category"], form["value"], form["min"], form["max"], form["min_flex"], form["max_flex"], form["share"]}
	if cols[6] == nil { // a form from before the share column
		cols[6] = make([]string, len(cols[0]))
	}
	n := len(cols[0])
	for _, col := range cols {
		if len(col) != n {
			return nil, nil, v.L.T("error.bad_form") + " (" + errRowCount.Error() + ")"
		}
	}
	var (
		rows   []quotaRow
		quotas []panel.Quota
		msg    string
	)
	for i := range n {
		row := quotaRow{Category: strings.TrimSpace(cols[0][i]), Value: strings.TrimSpace(cols[1][i]), Min: strings.TrimSpace(cols[2][i]),
			Max: strings.TrimSpace(cols[3][i]), MinFlex: strings.TrimSpace(cols[4][i]), MaxFlex: strings.TrimSpace(cols[5][i]), Share: strings.TrimSpace(cols[6][i])}
		if row == (quotaRow{}) {
			continue
		}
		q := panel.Quota{Category: row.Category, Value: row.Value}
		problem := ""
		switch {
		case row.Category == "":
			problem = v.L.T("quotas.row_category", len(rows)+1)
		case row.Value == "":
			problem = v.L.T("quotas.row_value", len(rows)+1, row.Category)
		}
		for _, f := range []struct {
			name, raw string
			dst       *int
			opt       **int
		}{
			{"min", row.Min, &q.Min, nil}, {"max", row.Max, &q.Max, nil},
			{"min_flex", row.MinFlex, nil, &q.MinFlex}, {"max_flex", row.MaxFlex, nil, &q.MaxFlex},
		} {
			if f.opt != nil && f.raw == "" {
				continue
			}
			n, err := strconv.Atoi(f.raw)
			if err != nil || n < 0 {
				if problem == "" {
					problem = v.L.T("quotas.row_number", len(rows)+1, v.L.T("quotas.col_"+f.name), f.raw)
				}
				continue
			}
			if f.dst != nil {
				*f.dst = n
			} else {
				*f.opt = &n
			}
		}
		if row.Share != "" {
			share, err := draw.ParseShare(row.Share)
			if err != nil && problem == "" {
				problem = v.L.T("quotas.row_share", len(rows)+1, row.Share)
			}
			if err == nil {
				q.Share = &share
			}
		}
		if problem == "" && q.Max < q.Min {
			problem = v.L.T("quotas.row_range", len(rows)+1, q.Max, q.Min)
		}
		if problem != "" {
			row.Invalid = true
			if msg == "" {
				msg = problem
			}
		}
		rows = append(rows, row)
		quotas = append(quotas, q)
	}
	return rows, quotas, msg
}
