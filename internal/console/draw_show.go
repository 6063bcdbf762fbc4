package console

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/sortition"
)

// Geometry of the probability chart, in SVG user units.
const (
	probChartWidth  = 600
	probChartHeight = 160
	probChartLeft   = 60
)

// memberRow is one member of the panel or the reserve list.
type memberRow struct {
	Rank        int
	PseudoID    string
	State       string
	Probability float64 // percent; 0 when not computed (legacy)
	HasProb     bool
}

// probBar is one person's bar in the probability chart.
type probBar struct {
	ID          string
	Probability float64 // percent
	Selected    bool
	X, W, H, Y  int
}

// drawPage is the draw ceremony page's data.
type drawPage struct {
	Campaign   *panel.Campaign
	Draw       *panel.Draw
	Panel      []memberRow
	Reserves   []memberRow
	People     []probBar
	ChartW     int
	ChartH     int
	ChartLeft  int
	ChartTop   int
	MinProb    float64 // percent
	HasProbs   bool
	PoolSize   int
	PublicPath string
	Seed       string
	Error      string
	Notice     string
	Nonce      string
	// Computation is the lottery computation's progress, when reported.
	Computation *computationView
}

// computationView is the lottery computation's progress as the draw page
// shows it: bounds in percent, elapsed in whole seconds.
type computationView struct {
	Level, PeopleFixed, People, Panels int
	Lower, Upper                       float64
	Elapsed                            int
}

// Refresh reports whether the page reloads itself: while the lottery is
// being computed.
func (p drawPage) Refresh() bool { return p.Draw.State == panel.DrawCommitting }

// drawShow is the draw's page: progress while the lottery is computed,
// then the commitment and the seed form, then the panel and reserves.
func (c *Console) drawShow(w http.ResponseWriter, r *http.Request) {
	v := c.viewerFrom(r)
	p, err := c.drawData(r)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if n := r.URL.Query().Get("notice"); n == "seeded" || n == "notified" || n == "repeated" {
		p.Notice = v.L.T("draw.notice_" + n)
	}
	c.render(w, r, http.StatusOK, "draw", v.L.T("draw.title", p.Draw.ID, p.Campaign.Name), "campaigns", p)
}

// drawNotice is the printable one-page commitment notice for the meeting.
func (c *Console) drawNotice(w http.ResponseWriter, r *http.Request) {
	v := c.viewerFrom(r)
	p, err := c.drawData(r)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if p.Draw.Commitment == "" {
		c.renderError(w, r, v, http.StatusConflict, v.L.T("draw.no_commitment_yet"))
		return
	}
	c.render(w, r, http.StatusOK, "draw_notice", v.L.T("draw.notice_title"), "campaigns", p)
}

// drawData loads the draw page's data.
func (c *Console) drawData(r *http.Request) (*drawPage, error) {
	ctx := r.Context()
	id, d, err := c.campaignDraw(r)
	if err != nil {
		return nil, err
	}
	camp, err := c.store.FindCampaignByID(ctx, id)
	if err != nil {
		return nil, err
	}
	p := &drawPage{Campaign: camp, Draw: d, PublicPath: fmt.Sprintf("/public/draws/%d", d.ID), Nonce: c.nonce(),
		ChartW: probChartLeft + probChartWidth + 10, ChartH: probChartHeight + 30, ChartLeft: probChartLeft, ChartTop: 10}
	if lp := d.LotteryProgress; lp != nil && d.State != panel.DrawCommitted && d.State != panel.DrawSeeded {
		p.Computation = &computationView{Level: lp.Level, PeopleFixed: lp.PeopleFixed, People: lp.People, Panels: lp.Panels,
			Lower: 100 * lp.LowerBound, Upper: 100 * lp.UpperBound, Elapsed: int(lp.Elapsed)}
	}
	if len(d.Record) == 0 {
		return p, nil
	}
	var rec sortition.Record
	if err := json.Unmarshal(d.Record, &rec); err != nil {
		return nil, fmt.Errorf("console: read the record of draw %d: %w", d.ID, err)
	}
	p.PoolSize, p.MinProb, p.HasProbs = len(rec.Pool), 100*rec.MinProbability, rec.Probabilities != nil
	if d.State != panel.DrawSeeded {
		return p, nil
	}
	members, err := c.draws.Members(ctx, d.ID)
	if err != nil {
		return nil, err
	}
	for _, m := range members {
		prob, has := rec.Probabilities[m.PseudoID]
		row := memberRow{Rank: m.Rank, PseudoID: m.PseudoID, State: m.State, Probability: 100 * prob, HasProb: has}
		if m.Role == panel.RoleReserve {
			p.Reserves = append(p.Reserves, row)
		} else {
			p.Panel = append(p.Panel, row)
		}
	}
	p.layoutProbabilities(&rec)
	return p, nil
}

// layoutProbabilities draws every person of the pool as a bar of their
// selection probability, highest first; the panel's members are marked.
func (p *drawPage) layoutProbabilities(rec *sortition.Record) {
	if len(rec.Probabilities) == 0 {
		return
	}
	selected := map[string]bool{}
	for _, id := range rec.Selected {
		selected[id] = true
	}
	for id, pr := range rec.Probabilities {
		p.People = append(p.People, probBar{ID: id, Probability: 100 * pr, Selected: selected[id]})
	}
	slices.SortFunc(p.People, func(a, b probBar) int {
		return cmp.Or(cmp.Compare(b.Probability, a.Probability), cmp.Compare(a.ID, b.ID))
	})
	w := max(1, probChartWidth/len(p.People))
	if w > 3 {
		w-- // a gap between wide bars
	}
	for i := range p.People {
		b := &p.People[i]
		b.X = probChartLeft + i*probChartWidth/len(p.People)
		b.W = w
		b.H = max(1, int(b.Probability*probChartHeight/100))
		b.Y = p.ChartTop + probChartHeight - b.H
	}
}
