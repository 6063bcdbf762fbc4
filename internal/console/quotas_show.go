package console

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/citizenspanel/panel/internal/draw"
	"github.com/citizenspanel/panel/internal/panel"
)

// Geometry of the target-against-pool chart, in SVG user units.
const (
	quotaLabelWidth = 200
	quotaBarsWidth  = 300 // 100 %
	quotaRowHeight  = 30
	quotaBlankRows  = 3 // empty rows the edit form offers for new values
)

// quotaRow is one row of the quota form, as typed.
type quotaRow struct {
	Category, Value, Min, Max, MinFlex, MaxFlex, Share string
	Invalid                                            bool
}

// quotaBar is one value's row of the chart and its table: the share of the
// panel the quota aims at (the population share it came from when given,
// else the middle of min–max within its category) against the value's
// share of the pool.
type quotaBar struct {
	Category, Value   string
	Min, Max, Pool    int
	TargetPct         float64
	FromShare         bool // TargetPct is the quota's population share
	PoolPct           float64
	Empty, Relaxed    bool
	Y, TargetW, PoolW int
}

// quotasPage is the quota page's data.
type quotasPage struct {
	Campaign  *panel.Campaign
	Rows      []quotaRow
	Seats     int
	SeatsText string
	Check     *draw.Feasibility
	Bars      []quotaBar
	ChartW    int
	ChartH    int
	BarsX     int
	Draws     []*panel.Draw
	Error     string
	Notice    string
	Nonce     string
	HasQuotas bool
	CanDraw   bool
}

// quotasShow is the quota page: the table to edit or upload, the
// feasibility check for ?seats=N and the chart of target against pool.
func (c *Console) quotasShow(w http.ResponseWriter, r *http.Request) {
	v := c.viewerFrom(r)
	p, err := c.quotasData(r, nil)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if n := r.URL.Query().Get("notice"); n == "saved" || n == "relaxed" || n == "repeated" {
		p.Notice = v.L.T("quotas.notice_" + n)
	}
	if raw := r.URL.Query().Get("seats"); raw != "" && p.Seats == 0 {
		p.Error = v.L.T("quotas.bad_seats", raw)
	}
	status := http.StatusOK
	if p.Error != "" {
		status = http.StatusUnprocessableEntity
	}
	c.render(w, r, status, "quotas", v.L.T("quotas.title", p.Campaign.Name), "campaigns", p)
}

// quotasData loads the page; rows, when given, are the form as posted
// (shown again after an error) instead of the stored quotas.
func (c *Console) quotasData(r *http.Request, rows []quotaRow) (*quotasPage, error) {
	ctx := r.Context()
	id, ok := campaignID(r)
	if !ok {
		return nil, panel.Errorf(panel.ENOTFOUND, "no such campaign")
	}
	camp, err := c.store.FindCampaignByID(ctx, id)
	if err != nil {
		return nil, err
	}
	qs, err := c.draws.Quotas(ctx, id)
	if err != nil {
		return nil, err
	}
	draws, err := c.draws.Draws(ctx, id)
	if err != nil {
		return nil, err
	}
	p := &quotasPage{Campaign: camp, Draws: draws, Nonce: c.nonce(), HasQuotas: len(qs) > 0, BarsX: quotaLabelWidth}
	p.SeatsText = strings.TrimSpace(r.FormValue("seats"))
	if n, err := strconv.Atoi(p.SeatsText); err == nil && n > 0 && n <= 100000 {
		p.Seats = n
	}
	if rows == nil {
		for _, q := range qs {
			rows = append(rows, quotaRow{Category: q.Category, Value: q.Value, Min: strconv.Itoa(q.Min), Max: strconv.Itoa(q.Max),
				MinFlex: optInt(q.MinFlex), MaxFlex: optInt(q.MaxFlex), Share: optShare(q.Share)})
		}
	}
	for range quotaBlankRows {
		rows = append(rows, quotaRow{})
	}
	p.Rows = rows
	if len(qs) == 0 {
		return p, nil
	}
	if p.Check, err = c.draws.CheckFeasibility(ctx, id, p.Seats); err != nil {
		return nil, err
	}
	p.CanDraw = p.Seats > 0 && p.Check.Feasible()
	p.layoutBars()
	return p, nil
}

// layoutBars lays out the chart from the check's counts.
func (p *quotasPage) layoutBars() {
	mid := map[string]float64{}
	for _, v := range p.Check.Values {
		mid[v.Category] += float64(v.Min+v.Max) / 2
	}
	relaxed := map[[2]string]bool{}
	if inf := p.Check.Infeasible; inf != nil {
		for _, x := range inf.Relaxation {
			relaxed[[2]string{x.Category, x.Value}] = true
		}
	}
	for i, v := range p.Check.Values {
		b := quotaBar{Category: v.Category, Value: v.Value, Min: v.Min, Max: v.Max, Pool: v.Pool, Empty: v.Pool == 0,
			Relaxed: relaxed[[2]string{v.Category, v.Value}], Y: 8 + i*quotaRowHeight}
		switch m := mid[v.Category]; {
		case v.Share != nil:
			b.TargetPct, b.FromShare = 100**v.Share, true
		case m > 0:
			b.TargetPct = 100 * float64(v.Min+v.Max) / 2 / m
		}
		if p.Check.PoolSize > 0 {
			b.PoolPct = 100 * float64(v.Pool) / float64(p.Check.PoolSize)
		}
		b.TargetW = int(b.TargetPct * quotaBarsWidth / 100)
		b.PoolW = int(b.PoolPct * quotaBarsWidth / 100)
		p.Bars = append(p.Bars, b)
	}
	p.ChartW = quotaLabelWidth + quotaBarsWidth + 70
	p.ChartH = 16 + len(p.Bars)*quotaRowHeight
}

// optInt writes an optional number for a form field.
func optInt(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}

// optShare writes an optional population share for a form field.
func optShare(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}
