package console

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/citizenspanel/panel/internal/panel"
)

// auditPage is the audit log's data.
type auditPage struct {
	Events   []*panel.AuditEvent
	Subject  string
	Action   string
	After    int64
	Next     int64 // the ?after of the next page; 0 when this is the last
	Verified bool
	Checked  int
	Broken   string // the verification's complaint when the chain is broken
}

// auditPageSize is how many events a page shows.
const auditPageSize = 200

// auditShow lists the audit log (filters ?subject=campaign/3,
// ?action=prefix, ?after=SEQ) with the result of verifying the whole
// hash chain. It is read-only for everyone.
func (c *Console) auditShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	d := auditPage{Subject: strings.TrimSpace(q.Get("subject")), Action: strings.TrimSpace(q.Get("action"))}
	d.After, _ = strconv.ParseInt(q.Get("after"), 10, 64)
	if d.After < 0 || len(d.Subject) > 200 || len(d.Action) > 200 {
		d.After, d.Subject, d.Action = 0, "", ""
	}
	after := d.After
	for len(d.Events) < auditPageSize {
		batch, err := c.store.ListAuditEvents(ctx, panel.AuditFilter{AfterSeq: after, Subject: d.Subject, Limit: 1000})
		if err != nil {
			c.fail(w, r, err)
			return
		}
		for _, e := range batch {
			if d.Action == "" || strings.HasPrefix(e.Action, d.Action) {
				d.Events = append(d.Events, e)
				if len(d.Events) == auditPageSize {
					d.Next = e.Seq
					break
				}
			}
		}
		if len(batch) < 1000 {
			break
		}
		after = batch[len(batch)-1].Seq
	}
	n, err := c.store.VerifyAuditChain(ctx)
	switch panel.ErrorCode(err) {
	case "":
		d.Verified, d.Checked = true, n
	case panel.EINVALID:
		d.Broken = panel.ErrorMessage(err)
	default:
		c.fail(w, r, err)
		return
	}
	v := c.viewerFrom(r)
	c.render(w, r, http.StatusOK, "audit", v.L.T("audit.title"), "audit", d)
}
