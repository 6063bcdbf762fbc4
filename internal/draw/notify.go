package draw

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/smstext"
)

// texts are a campaign's three draw texts, parsed.
type texts struct{ selected, reserve, notSelected *smstext.Template }

// parseTexts reads the draw texts (smstext.DrawSelected, DrawReserve and
// DrawNotSelected) from the campaign's templates, using the defaults for
// keys it lacks. EINVALID naming templates.<key> otherwise.
func parseTexts(templates map[string]string) (texts, error) {
	var t texts
	for _, f := range []struct {
		kind smstext.Kind
		dst  **smstext.Template
	}{
		{smstext.DrawSelected, &t.selected},
		{smstext.DrawReserve, &t.reserve},
		{smstext.DrawNotSelected, &t.notSelected},
	} {
		tpl, err := f.kind.Parse(templates)
		if err != nil {
			return texts{}, err
		}
		*f.dst = tpl
	}
	return t, nil
}

// deadlineText writes a deadline for an SMS.
func (s *Service) deadlineText(t time.Time) string {
	return smstext.FormatDate(t, s.cfg.Now(), s.cfg.Location) + " kl. " + t.In(s.cfg.Location).Format("15:04")
}

// NotifyResult is the answer of POST /api/v1/draws/{id}/notify.
type NotifyResult struct {
	Enqueued    int       `json:"enqueued"` // messages new in the outbox (0 on a repeated call)
	Selected    int       `json:"selected"`
	Reserves    int       `json:"reserves"`
	NotSelected int       `json:"not_selected"`
	ConfirmBy   time.Time `json:"confirm_by"`
}

// Notify enqueues, through the outbox, the selected-member SMS to those on
// the panel, the reserve SMS to the reserves and the not-selected SMS to
// the other volunteers of the frozen pool, each once (dedup keys
// notify/<draw>/<pseudonym>), and starts the selected members'
// confirmation deadline. ECONFLICT before the seed.
func (s *Service) Notify(ctx context.Context, id int64) (NotifyResult, error) {
	d, err := s.store.FindDraw(ctx, id)
	if err != nil {
		return NotifyResult{}, err
	}
	if d.State != panel.DrawSeeded {
		return NotifyResult{}, panel.Errorf(panel.ECONFLICT, "draw %d is %s: notify needs a seeded draw", id, d.State)
	}
	camp, err := s.store.FindCampaignByID(ctx, d.CampaignID)
	if err != nil {
		return NotifyResult{}, err
	}
	tx, err := parseTexts(camp.Templates)
	if err != nil {
		return NotifyResult{}, err
	}
	members, err := s.store.ListDrawMembers(ctx, id)
	if err != nil {
		return NotifyResult{}, err
	}
	confirmBy := s.cfg.Now().Add(time.Duration(d.Params.ConfirmWithin) * time.Second)
	if d.NotifiedAt != nil {
		confirmBy = d.NotifiedAt.Add(time.Duration(d.Params.ConfirmWithin) * time.Second)
	}
	selected, err := tx.selected.Render(map[string]string{smstext.Deadline: s.deadlineText(confirmBy)})
	if err != nil {
		return NotifyResult{}, err
	}
	reserve, _ := tx.reserve.Render(map[string]string{smstext.Deadline: ""})
	notSelected, _ := tx.notSelected.Render(map[string]string{smstext.Deadline: ""})
	var res NotifyResult
	var msgs []*panel.OutboundMessage
	inDraw := map[string]bool{}
	for _, m := range members {
		inDraw[m.PseudoID] = true
		var body string
		switch {
		case m.OnPanel():
			body = selected
			res.Selected++
		case m.State == panel.MemberReserve:
			body = reserve
			res.Reserves++
		default:
			continue
		}
		if m.RecipientID != 0 {
			msgs = append(msgs, s.message(d, m.RecipientID, body, "notify/"+strconv.FormatInt(id, 10)+"/"+m.PseudoID))
		}
	}
	vols, err := s.store.ListPool(ctx, d.CampaignID)
	if err != nil {
		return NotifyResult{}, err
	}
	pool, err := poolIDs(d)
	if err != nil {
		return NotifyResult{}, err
	}
	secret, err := s.store.RecordSecret(ctx, d.CampaignID)
	if err != nil {
		return NotifyResult{}, err
	}
	for _, v := range vols {
		pid := publicID(secret, v)
		if !pool[pid] || inDraw[pid] {
			continue
		}
		res.NotSelected++
		if v.RecipientID != 0 {
			msgs = append(msgs, s.message(d, v.RecipientID, notSelected, "notify/"+strconv.FormatInt(id, 10)+"/"+pid))
		}
	}
	n, err := s.store.NotifyDraw(ctx, id, msgs, confirmBy)
	if err != nil {
		return NotifyResult{}, err
	}
	res.Enqueued, res.ConfirmBy = n, confirmBy.UTC().Truncate(time.Second)
	return res, nil
}

// message builds one notification.
func (s *Service) message(d *panel.Draw, recipientID int64, body, key string) *panel.OutboundMessage {
	return &panel.OutboundMessage{CampaignID: d.CampaignID, RecipientID: recipientID, Kind: panel.KindNotification, Body: body, DedupKey: key}
}

// poolIDs returns the ids of the draw's frozen pool.
func poolIDs(d *panel.Draw) (map[string]bool, error) {
	if len(d.Snapshot) == 0 {
		return nil, panel.Errorf(panel.ECONFLICT, "draw %d: its frozen pool was deleted when the campaign's personal data was purged; there is nobody left to notify", d.ID)
	}
	var snap snapshot
	if err := jsonUnmarshal(d.Snapshot, &snap); err != nil {
		return nil, fmt.Errorf("draw %d: read snapshot: %w", d.ID, err)
	}
	out := make(map[string]bool, len(snap.Pool))
	for _, p := range snap.Pool {
		out[p.ID] = true
	}
	return out, nil
}
