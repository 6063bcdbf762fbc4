package console

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/citizenspanel/panel/internal/draw"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/sortition"
)

// commitWait is how long the commit form waits for the lottery before it
// shows the draw's progress page.
const commitWait = 1500 * time.Millisecond

// drawForm is the new-draw form as typed.
type drawForm struct {
	Seats, Reserves, Algorithm, AddressColumns string
	// TimeLimit is the lottery's time budget in whole minutes; "" for none.
	TimeLimit string
}

// maxTimeLimitMinutes is the largest time limit the form takes.
const maxTimeLimitMinutes = draw.MaxTimeLimit / 60

// drawNewPage is the new-draw page's data.
type drawNewPage struct {
	Campaign   *panel.Campaign
	Form       drawForm
	Algorithms []string
	Error      string
	Nonce      string
}

// drawNew shows the form that freezes the pool and commits a draw.
func (c *Console) drawNew(w http.ResponseWriter, r *http.Request) {
	f := drawForm{Seats: r.URL.Query().Get("seats"), Reserves: "0", Algorithm: sortition.AlgorithmLeximin}
	c.drawNewPage(w, r, http.StatusOK, f, "")
}

func (c *Console) drawNewPage(w http.ResponseWriter, r *http.Request, status int, f drawForm, msg string) {
	v := c.viewerFrom(r)
	id, ok := campaignID(r)
	if !ok {
		c.notFound(w, r)
		return
	}
	camp, err := c.store.FindCampaignByID(r.Context(), id)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	p := drawNewPage{Campaign: camp, Form: f, Algorithms: []string{sortition.AlgorithmLeximin, sortition.AlgorithmLegacy}, Error: msg, Nonce: c.nonce()}
	c.render(w, r, status, "draw_new", v.L.T("draw.new_title", camp.Name), "campaigns", p)
}

// drawCreate freezes the pool and starts the lottery; the draw's page
// then shows the progress and the commitment. It cannot be undone, so the
// form's confirmation box must be ticked.
func (c *Console) drawCreate(w http.ResponseWriter, r *http.Request) {
	v := c.viewerFrom(r)
	id, ok := campaignID(r)
	if !ok {
		c.notFound(w, r)
		return
	}
	if !c.readForm(w, r) {
		return
	}
	f := drawForm{Seats: strings.TrimSpace(r.PostForm.Get("seats")), Reserves: strings.TrimSpace(r.PostForm.Get("reserves")),
		Algorithm: r.PostForm.Get("algorithm"), AddressColumns: strings.TrimSpace(r.PostForm.Get("address_columns")),
		TimeLimit: strings.TrimSpace(r.PostForm.Get("time_limit"))}
	// A short wait: a small lottery lands on the committed page at once, a
	// large one on the page that shows the progress and reloads itself.
	req := draw.Request{Algorithm: f.Algorithm, Wait: commitWait}
	var err error
	if req.Seats, err = strconv.Atoi(f.Seats); err != nil || req.Seats <= 0 {
		c.drawNewPage(w, r, http.StatusUnprocessableEntity, f, v.L.T("draw.bad_seats", f.Seats))
		return
	}
	if f.Reserves == "" {
		f.Reserves = "0"
	}
	if req.Reserves, err = strconv.Atoi(f.Reserves); err != nil || req.Reserves < 0 || req.Reserves > draw.MaxReserves {
		c.drawNewPage(w, r, http.StatusUnprocessableEntity, f, v.L.T("draw.bad_reserves", f.Reserves, draw.MaxReserves))
		return
	}
	if f.Algorithm != sortition.AlgorithmLeximin && f.Algorithm != sortition.AlgorithmLegacy {
		c.drawNewPage(w, r, http.StatusUnprocessableEntity, f, v.L.T("draw.bad_algorithm", f.Algorithm))
		return
	}
	if f.TimeLimit != "" {
		minutes, err := strconv.Atoi(f.TimeLimit)
		if err != nil || minutes < 0 || minutes > maxTimeLimitMinutes {
			c.drawNewPage(w, r, http.StatusUnprocessableEntity, f, v.L.T("draw.bad_time_limit", f.TimeLimit, maxTimeLimitMinutes))
			return
		}
		req.TimeLimitSeconds = float64(minutes * 60)
	}
	for col := range strings.SplitSeq(f.AddressColumns, ",") {
		if col = strings.TrimSpace(col); col != "" {
			req.AddressColumns = append(req.AddressColumns, col)
		}
	}
	if !confirmed(r) {
		c.drawNewPage(w, r, http.StatusUnprocessableEntity, f, v.L.T("draw.confirm_needed"))
		return
	}
	var failed error
	loc, _ := c.once.do("draw/"+r.PostForm.Get("nonce"), c.now(), func() string {
		d, err := c.draws.CreateDraw(r.Context(), id, req)
		if err != nil {
			failed = err
			return ""
		}
		return fmt.Sprintf("/campaigns/%d/draws/%d", id, d.ID)
	})
	if code := panel.ErrorCode(failed); code == panel.EINVALID || code == panel.ECONFLICT {
		c.drawNewPage(w, r, statusOf(code), f, v.L.T("draw.create_failed", panel.ErrorMessage(failed)))
		return
	}
	if failed != nil {
		c.fail(w, r, failed)
		return
	}
	redirect(w, r, loc)
}

// statusOf is the status of an error code the page shows itself.
func statusOf(code string) int {
	if code == panel.ECONFLICT {
		return http.StatusConflict
	}
	return http.StatusUnprocessableEntity
}
