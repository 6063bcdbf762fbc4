package console

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"github.com/citizenspanel/panel/internal/export"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/reminder"
	"github.com/citizenspanel/panel/internal/roster"
)

// Roster is the members list and the confirmation calls (*roster.Service).
type Roster interface {
	// Members returns the campaign's members list as the actor may see it.
	Members(ctx context.Context, campaignID int64) (*roster.List, error)
	// RecordCall records a call outcome under the actor; a decline
	// replaces the member from the reserves.
	RecordCall(ctx context.Context, campaignID int64, pseudoID string, in panel.CallInput) (*roster.CallResult, error)
}

// Exports writes the CSV and XLSX exports (*export.Exporter).
type Exports interface {
	// Write writes the campaign's export what in format for actor, as an
	// audit event.
	Write(ctx context.Context, w io.Writer, campaignID int64, what, format string, actor panel.Actor, opts export.Options) error
}

// MeetingStore is what the meetings pages read and write (*store.Store).
type MeetingStore interface {
	panel.MeetingService
	panel.ReminderStore
	reminder.MeetingCreator
	// ExportAbsences lists the campaign's absences with who reported them.
	ExportAbsences(ctx context.Context, campaignID int64) ([]panel.AbsenceRow, error)
	// CampaignDraw returns the campaign's seeded draw; ECONFLICT before.
	CampaignDraw(ctx context.Context, campaignID int64) (*panel.Draw, error)
}

// Scheduler previews and creates meetings with their reminder schedule
// (*reminder.Scheduler).
type Scheduler interface {
	PreviewMeeting(ctx context.Context, st reminder.MeetingCreator, m *panel.Meeting, sendOverdue bool) (reminder.Preview, error)
	CreateMeeting(ctx context.Context, st reminder.MeetingCreator, m *panel.Meeting, sendOverdue bool) (reminder.Preview, error)
}

// meetings are the meetings pages' dependencies.
type meetings struct {
	store     MeetingStore
	scheduler Scheduler
}

// memberRoutes registers the members, calls, meetings and export pages.
// Callers see the members page, record calls and download the panel and
// reserves; nothing else.
func (c *Console) memberRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /campaigns/{id}/members", c.signedIn(everyone, c.membersShow))
	m.HandleFunc("POST /campaigns/{id}/members/{member}/call", c.signedIn(callers, c.callRecord))
	m.HandleFunc("GET /campaigns/{id}/export/{file}", c.signedIn(everyone, c.exportFile))
	m.HandleFunc("GET /campaigns/{id}/meetings", c.signedIn(readers, c.meetingsShow))
	m.HandleFunc("POST /campaigns/{id}/meetings", c.signedIn(organisers, c.meetingsCreate))
	m.HandleFunc("POST /campaigns/{id}/meetings/{mid}/edit", c.signedIn(organisers, c.meetingsUpdate))
	m.HandleFunc("POST /campaigns/{id}/meetings/{mid}/cancel", c.signedIn(organisers, c.meetingsCancel))
}

// Caller reports whether the viewer is a confirmation caller.
func (v viewer) Caller() bool { return v.User != nil && v.User.Role == panel.RoleCaller }

// SeesPhones reports whether the viewer may see phone numbers.
func (v viewer) SeesPhones() bool { return v.User != nil && panel.SeesPhones(v.User.Role) }

// MayCall reports whether the viewer may record call outcomes.
func (v viewer) MayCall() bool { return v.User != nil && panel.MayRecordCalls(v.User.Role) }

// membersPage is the members page's data.
type membersPage struct {
	Campaign *panel.Campaign
	List     *roster.List
	Outcomes []string
	Tags     []string
	Exports  []string // what the viewer may export
	Nonce    string
	Notice   string // after a call was recorded
	Error    string // a call that could not be recorded
	Failed   string // the member whose call failed
	Statuses []string
}

// statusOrder is the order of the status counts.
var statusOrder = []string{panel.StatusDrawn, panel.StatusNotified, panel.StatusConfirmed, panel.StatusDeclined,
	panel.StatusDropped, panel.StatusReplaced, panel.StatusReserve}

// memberTableView is what the member_table template gets.
type memberTableView struct {
	V    view
	Kind string // panel or reserves
	Rows []roster.Member
}

func init() {
	funcs["memberTable"] = func(v view, kind string, rows []roster.Member) memberTableView {
		return memberTableView{V: v, Kind: kind, Rows: rows}
	}
}

// exportsFor lists what role may export: callers the panel and reserves.
func exportsFor(role string) []string {
	if role == panel.RoleCaller {
		return []string{export.Panel, export.Reserves}
	}
	return export.Whats
}

// membersShow is GET /campaigns/{id}/members.
func (c *Console) membersShow(w http.ResponseWriter, r *http.Request) {
	c.showMembers(w, r, http.StatusOK, "", "")
}

// showMembers renders the members page with a notice or an error about
// member failed.
func (c *Console) showMembers(w http.ResponseWriter, r *http.Request, status int, errMsg, failed string) {
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
	v := c.viewerFrom(r)
	p := membersPage{Campaign: camp, Outcomes: panel.CallOutcomes, Tags: panel.SupportTags,
		Exports: exportsFor(v.User.Role), Nonce: c.nonce(), Error: errMsg, Failed: failed, Statuses: statusOrder}
	list, err := c.members.Members(ctx, id)
	switch {
	case panel.ErrorCode(err) == panel.ECONFLICT:
		// No seeded draw yet: the page says so.
	case err != nil:
		c.fail(w, r, err)
		return
	default:
		p.List = list
	}
	q := r.URL.Query()
	switch n := q.Get("notice"); {
	case n == "replaced" && q.Get("by") != "":
		p.Notice = v.L.T("members.notice_replaced", q.Get("member"), q.Get("by"))
	case n != "" && v.L.Has("members.notice_"+n):
		p.Notice = v.L.T("members.notice_"+n, q.Get("member"))
	}
	c.render(w, r, status, "members", v.L.T("members.title", camp.Name), "members", p)
}

// callerHome sends a caller to the members page of the newest campaign
// with a draw, or lists the campaigns with draws when there are several.
func (c *Console) callerHome(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	list, _, err := c.store.ListCampaigns(ctx, panel.CampaignFilter{Limit: 1000})
	if err != nil {
		c.fail(w, r, err)
		return
	}
	var drawn []*panel.Campaign
	for i := len(list) - 1; i >= 0; i-- { // newest first
		_, err := c.meet.store.CampaignDraw(ctx, list[i].ID)
		switch {
		case err == nil:
			drawn = append(drawn, list[i])
		case panel.ErrorCode(err) != panel.ECONFLICT && panel.ErrorCode(err) != panel.ENOTFOUND:
			c.fail(w, r, err)
			return
		}
	}
	if len(drawn) == 1 {
		redirect(w, r, fmt.Sprintf("/campaigns/%d/members", drawn[0].ID))
		return
	}
	v := c.viewerFrom(r)
	c.render(w, r, http.StatusOK, "members_campaigns", v.L.T("members.campaigns_title"), "members", drawn)
}
