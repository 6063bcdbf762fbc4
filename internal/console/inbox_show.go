package console

import (
	"net/http"
	"strconv"

	"github.com/citizenspanel/panel/internal/panel"
)

// inboxPage is the inbox's data.
type inboxPage struct {
	Campaigns []*panel.Campaign
	Campaign  *panel.Campaign // nil when there is no campaign yet
	State     string          // open or resolved
	Messages  []*panel.InboundMessage
	// Conversations are the SMS around each message, by recipient id
	// (organisers only).
	Conversations map[int64][]panel.ConversationEntry
	Total         int
	Nonce         string
	Notice        string
}

// inboxMax is how many messages the inbox shows at once.
const inboxMax = 200

// conversationLength is how many SMS around a message are shown.
const conversationLength = 12

// inboxShow lists a campaign's inbox (?campaign, default the newest;
// ?state=open|resolved, default open), oldest first. Auditors see states
// and pseudonyms, not what people wrote.
func (c *Console) inboxShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := c.viewerFrom(r)
	list, _, err := c.store.ListCampaigns(ctx, panel.CampaignFilter{Limit: 1000})
	if err != nil {
		c.fail(w, r, err)
		return
	}
	d := inboxPage{Campaigns: list, State: panel.InboxOpen, Nonce: c.nonce()}
	if r.URL.Query().Get("state") == panel.InboxResolved {
		d.State = panel.InboxResolved
	}
	if n := r.URL.Query().Get("notice"); n != "" && v.L.Has("notice."+n) {
		d.Notice = v.L.T("notice." + n)
	}
	want, _ := strconv.ParseInt(r.URL.Query().Get("campaign"), 10, 64)
	for _, camp := range list {
		if camp.ID == want || want == 0 {
			d.Campaign = camp // the last one listed is the newest
		}
	}
	if d.Campaign != nil {
		msgs, total, err := c.inbox.Inbox(ctx, d.Campaign.ID, panel.InboxFilter{State: d.State, Limit: inboxMax})
		if err != nil {
			c.fail(w, r, err)
			return
		}
		if v.User.Role != panel.RoleOrganiser {
			for _, m := range msgs {
				m.Body, m.Resolution, m.Reply = "", "", ""
			}
		} else {
			ids := make([]int64, 0, len(msgs))
			for _, m := range msgs {
				if m.RecipientID != 0 {
					ids = append(ids, m.RecipientID)
				}
			}
			if d.Conversations, err = c.store.Conversations(ctx, ids, conversationLength); err != nil {
				c.fail(w, r, err)
				return
			}
		}
		d.Messages, d.Total = msgs, total
	}
	c.render(w, r, http.StatusOK, "inbox", v.L.T("inbox.title"), "inbox", d)
}
