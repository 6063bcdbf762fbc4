package console

import (
	"context"
	"net/http"
	"strconv"

	"github.com/citizenspanel/panel/internal/draw"
	"github.com/citizenspanel/panel/internal/panel"
)

// Draws is the draw ceremony's service as the console uses it
// (*draw.Service): quotas, their feasibility, and the draw itself.
type Draws interface {
	// Quotas returns the campaign's quotas.
	Quotas(ctx context.Context, campaignID int64) ([]panel.Quota, error)
	// SetQuotas checks quotas against the pool and stores them.
	SetQuotas(ctx context.Context, campaignID int64, quotas []panel.Quota, seats int) ([]panel.Quota, error)
	// CheckFeasibility checks the stored quotas against the pool for seats.
	CheckFeasibility(ctx context.Context, campaignID int64, seats int) (*draw.Feasibility, error)
	// Relax applies the smallest relaxation the check suggests.
	Relax(ctx context.Context, campaignID int64, seats int) ([]panel.Quota, error)
	// Draws returns the campaign's draws, newest first.
	Draws(ctx context.Context, campaignID int64) ([]*panel.Draw, error)
	// CreateDraw freezes the pool and starts the lottery.
	CreateDraw(ctx context.Context, campaignID int64, r draw.Request) (*panel.Draw, error)
	// Find returns a draw.
	Find(ctx context.Context, id int64) (*panel.Draw, error)
	// Members returns a draw's members.
	Members(ctx context.Context, id int64) ([]*panel.DrawMember, error)
	// Seed reveals the seed.
	Seed(ctx context.Context, id int64, seed string) ([]byte, error)
	// Notify enqueues the draw's SMS.
	Notify(ctx context.Context, id int64) (draw.NotifyResult, error)
}

var _ Draws = (*draw.Service)(nil)

// campaignDraw reads the campaign and draw ids of a draw page and returns
// the draw; ENOTFOUND when the draw is not the campaign's.
func (c *Console) campaignDraw(r *http.Request) (int64, *panel.Draw, error) {
	id, ok := campaignID(r)
	did, err := strconv.ParseInt(r.PathValue("did"), 10, 64)
	if !ok || err != nil || did <= 0 {
		return 0, nil, panel.Errorf(panel.ENOTFOUND, "no such draw")
	}
	d, err := c.draws.Find(r.Context(), did)
	if err != nil {
		return 0, nil, err
	}
	if d.CampaignID != id {
		return 0, nil, panel.Errorf(panel.ENOTFOUND, "no such draw")
	}
	return id, d, nil
}

// confirmed reports whether the form's "I understand" box is ticked: the
// confirmation every step that cannot be undone asks for.
func confirmed(r *http.Request) bool { return r.PostForm.Get("confirm") == "yes" }

// drawRoutes registers the quota and draw ceremony pages.
func (c *Console) drawRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /campaigns/{id}/quotas", c.signedIn(readers, c.quotasShow))
	m.HandleFunc("POST /campaigns/{id}/quotas", c.signedIn(organisers, c.quotasSave))
	m.HandleFunc("POST /campaigns/{id}/quotas/upload", c.signedIn(organisers, c.quotasUpload))
	m.HandleFunc("POST /campaigns/{id}/quotas/relax", c.signedIn(organisers, c.quotasRelax))
	m.HandleFunc("GET /campaigns/{id}/draws/new", c.signedIn(organisers, c.drawNew))
	m.HandleFunc("POST /campaigns/{id}/draws", c.signedIn(organisers, c.drawCreate))
	m.HandleFunc("GET /campaigns/{id}/draws/{did}", c.signedIn(readers, c.drawShow))
	m.HandleFunc("GET /campaigns/{id}/draws/{did}/notice", c.signedIn(readers, c.drawNotice))
	m.HandleFunc("POST /campaigns/{id}/draws/{did}/seed", c.signedIn(organisers, c.drawSeed))
	m.HandleFunc("POST /campaigns/{id}/draws/{did}/notify", c.signedIn(organisers, c.drawNotify))
}
