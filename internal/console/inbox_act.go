package console

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/citizenspanel/panel/internal/panel"
)

// maxReplyLength bounds an organiser's answer (three GSM-7 segments).
const maxReplyLength = 459

// inboxTarget reads the form of a resolve or reply: the campaign and the
// message it is about.
func (c *Console) inboxTarget(w http.ResponseWriter, r *http.Request) (campaignID, messageID int64, ok bool) {
	r.Body = http.MaxBytesReader(w, r.Body, formBodyLimit)
	if err := r.ParseForm(); err != nil {
		c.fail(w, r, panel.Errorf(panel.EINVALID, "%s", c.viewerFrom(r).L.T("error.bad_form")))
		return 0, 0, false
	}
	mid, err1 := strconv.ParseInt(r.PathValue("mid"), 10, 64)
	cid, err2 := strconv.ParseInt(r.PostForm.Get("campaign"), 10, 64)
	if err1 != nil || err2 != nil {
		c.notFound(w, r)
		return 0, 0, false
	}
	return cid, mid, true
}

// inboxResolve marks a message resolved with the organiser's note.
func (c *Console) inboxResolve(w http.ResponseWriter, r *http.Request) {
	cid, mid, ok := c.inboxTarget(w, r)
	if !ok {
		return
	}
	notice := "resolved"
	_, err := c.inbox.Resolve(r.Context(), cid, mid, strings.TrimSpace(r.PostForm.Get("resolution")))
	switch panel.ErrorCode(err) {
	case "":
	case panel.ECONFLICT: // resolved already: the form was posted twice
		notice = "repeated"
	default:
		c.fail(w, r, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/inbox?campaign=%d&notice=%s", cid, notice))
}

// inboxReply sends the organiser's answer to the person who wrote the
// message, through the outbox like every other SMS. The form's nonce is
// part of the dedup key, so a form posted twice sends one SMS.
func (c *Console) inboxReply(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := c.viewerFrom(r)
	cid, mid, ok := c.inboxTarget(w, r)
	if !ok {
		return
	}
	body := strings.TrimSpace(strings.ReplaceAll(r.PostForm.Get("body"), "\r\n", "\n"))
	nonce := r.PostForm.Get("nonce")
	if body == "" || utf8.RuneCountInString(body) > maxReplyLength || nonce == "" {
		c.fail(w, r, panel.Errorf(panel.EINVALID, "%s", v.L.T("inbox.reply_invalid", maxReplyLength)))
		return
	}
	msg, err := c.findInbound(r, cid, mid)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if msg.RecipientID == 0 {
		c.fail(w, r, panel.Errorf(panel.EINVALID, "%s", v.L.T("inbox.reply_unknown_sender")))
		return
	}
	n, err := c.store.Enqueue(ctx, []*panel.OutboundMessage{{
		CampaignID: cid, RecipientID: msg.RecipientID, Kind: panel.KindDialogue, Body: body,
		DedupKey: fmt.Sprintf("console-reply/%d/%s", mid, nonce),
	}})
	if err != nil {
		c.fail(w, r, err)
		return
	}
	notice := "repeated"
	if n == 1 {
		notice = "replied"
		details, _ := json.Marshal(map[string]any{"message_id": mid, "characters": utf8.RuneCountInString(body)})
		if err := c.store.AppendAudit(ctx, &panel.AuditEvent{
			Actor: v.User.Name, Action: "inbox.replied", Subject: fmt.Sprintf("campaign/%d", cid), Details: details,
		}); err != nil {
			c.fail(w, r, err)
			return
		}
	}
	redirect(w, r, fmt.Sprintf("/inbox?campaign=%d&notice=%s", cid, notice))
}

// findInbound finds message mid in the campaign's inbox.
func (c *Console) findInbound(r *http.Request, cid, mid int64) (*panel.InboundMessage, error) {
	for offset := 0; ; offset += 1000 {
		msgs, total, err := c.inbox.Inbox(r.Context(), cid, panel.InboxFilter{Offset: offset, Limit: 1000})
		if err != nil {
			return nil, err
		}
		for _, m := range msgs {
			if m.ID == mid {
				return m, nil
			}
		}
		if offset+1000 >= total {
			return nil, panel.Errorf(panel.ENOTFOUND, "inbox message not found")
		}
	}
}
