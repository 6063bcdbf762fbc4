package console

import (
	"math"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
)

// campaignPage is the campaign overview's data.
type campaignPage struct {
	Campaign *panel.Campaign
	Stats    panel.CampaignStats
	Progress progress
	Preview  *preview
	Chart    chart
	Nonce    string
	Exports  []string // what the viewer may download
	Notice   string   // a sentence after an action, e.g. "already sent"
	// Days are the volunteers who joined the pool per day, oldest first.
	Days []dayCount
}

// dayCount is one day of the replies over time.
type dayCount struct {
	Day   time.Time // midnight in PANEL_TIMEZONE
	N     int
	Width int // of its bar, out of dayBarWidth
}

// dayBarWidth is the longest bar of the replies over time.
const dayBarWidth = 300

// perDay counts volunteers by the day (in loc) they joined.
func perDay(pool []*panel.Volunteer, loc *time.Location) []dayCount {
	counts := map[time.Time]int{}
	for _, v := range pool {
		t := v.CreatedAt.In(loc)
		counts[time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)]++
	}
	days := make([]dayCount, 0, len(counts))
	top := 1
	for d, n := range counts {
		days = append(days, dayCount{Day: d, N: n})
		top = max(top, n)
	}
	slices.SortFunc(days, func(a, b dayCount) int { return a.Day.Compare(b.Day) })
	for i := range days {
		days[i].Width = max(2, days[i].N*dayBarWidth/top)
	}
	return days
}

// progress is the live part of the overview: the invitations per state.
type progress struct {
	Total     int     `json:"total"`
	Queued    int     `json:"queued"`
	Sent      int     `json:"sent"`
	Delivered int     `json:"delivered"`
	Failed    int     `json:"failed"`
	Cancelled int     `json:"cancelled"`
	Done      int     `json:"done"`        // everything no longer queued
	Rate      float64 `json:"rate"`        // the campaign's configured messages per second
	ETASecond int     `json:"eta_seconds"` // Queued / Rate; 0 when nothing is queued
}

// progressFrom sums invitation counts by outbox state.
func progressFrom(byState map[string]int, rate float64) progress {
	p := progress{
		Queued:    byState[panel.MessageQueued] + byState[panel.MessageSending],
		Sent:      byState[panel.MessageSent],
		Delivered: byState[panel.MessageDelivered],
		Failed:    byState[panel.MessageUndelivered] + byState[panel.MessageFailed],
		Cancelled: byState[panel.MessageCancelled],
		Rate:      rate,
	}
	p.Total = p.Queued + p.Sent + p.Delivered + p.Failed + p.Cancelled
	p.Done = p.Total - p.Queued
	if p.Queued > 0 && rate > 0 {
		p.ETASecond = int(math.Ceil(float64(p.Queued) / rate))
	}
	return p
}

// ETAMinutes is the remaining sending time in whole minutes, at least 1.
func (p progress) ETAMinutes() int {
	return max(1, (p.ETASecond+59)/60)
}

// campaignID reads the {id} of the path.
func campaignID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

// campaignShow is the campaign overview.
func (c *Console) campaignShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, ok := campaignID(r)
	if !ok {
		c.notFound(w, r)
		return
	}
	camp, err := c.store.FindCampaignByID(ctx, id)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	stats, err := c.invites.Stats(ctx, id)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	pool, err := c.inbox.Pool(ctx, id)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	drawn, err := c.store.PanelCounts(ctx, id)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	v := c.viewerFrom(r)
	p := campaignPage{
		Days:     perDay(pool, c.loc),
		Campaign: camp, Stats: stats,
		Progress: progressFrom(map[string]int{
			panel.MessageQueued: stats.Queued, panel.MessageSent: stats.Sent, panel.MessageDelivered: stats.Delivered,
			panel.MessageFailed: stats.Failed, panel.MessageCancelled: stats.Cancelled,
		}, camp.SendRate),
		Preview: new(c.makePreview(v, camp, stats.Recipients)),
		Chart:   makeChart(stats.Pool, drawn),
		Nonce:   c.nonce(),
		Exports: exportsFor(v.User.Role),
	}
	if n := r.URL.Query().Get("notice"); n != "" && v.L.Has("notice."+n) {
		p.Notice = v.L.T("notice." + n)
	}
	c.render(w, r, http.StatusOK, "campaign", camp.Name, "campaigns", p)
}
