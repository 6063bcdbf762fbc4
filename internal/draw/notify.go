package draw

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/smstext"
)

// texts are a campaign's three draw texts in one language, parsed.
type texts struct{ selected, reserve, notSelected *smstext.Template }

// parseTexts reads the draw texts (smstext.DrawSelected, DrawReserve and
// DrawNotSelected) in lang from the campaign's templates, using the
// defaults for keys it lacks (see smstext.Kind.ParseIn). EINVALID naming
// templates.<key> otherwise.
func parseTexts(templates map[string]string, lang string) (texts, error) {
	var t texts
	for _, f := range []struct {
		kind smstext.Kind
		dst  **smstext.Template
	}{
		{smstext.DrawSelected, &t.selected},
		{smstext.DrawReserve, &t.reserve},
		{smstext.DrawNotSelected, &t.notSelected},
	} {
		tpl, err := f.kind.ParseIn(templates, lang)
		if err != nil {
			return texts{}, err
		}
		*f.dst = tpl
	}
	return t, nil
}

// bodies are the three draw texts of a campaign rendered in one language.
type bodies struct{ selected, reserve, notSelected string }

// renderTexts renders the campaign's draw texts in Norwegian and English,
// with the confirmation deadline confirmBy.
func (s *Service) renderTexts(templates map[string]string, confirmBy time.Time) (map[string]bodies, error) {
	out := map[string]bodies{}
	for _, lang := range []string{panel.LangNorwegian, panel.LangEnglish} {
		tx, err := parseTexts(templates, lang)
		if err != nil {
			return nil, err
		}
		var b bodies
		if b.selected, err = tx.selected.Render(map[string]string{smstext.Deadline: s.deadlineText(confirmBy, lang)}); err != nil {
			return nil, err
		}
		b.reserve, _ = tx.reserve.Render(map[string]string{smstext.Deadline: ""})
		b.notSelected, _ = tx.notSelected.Render(map[string]string{smstext.Deadline: ""})
		out[lang] = b
	}
	return out, nil
}

// languages returns the language of each volunteer's conversation, by
// recipient id: English for those who answered in English, Norwegian
// otherwise.
func languages(vols []*panel.Volunteer) map[int64]string {
	out := map[int64]string{}
	for _, v := range vols {
		if v.RecipientID != 0 && v.Language == panel.LangEnglish {
			out[v.RecipientID] = panel.LangEnglish
		}
	}
	return out
}

// in returns the bodies for lang (Norwegian for "").
func in(b map[string]bodies, lang string) bodies {
	if lang == panel.LangEnglish {
		return b[panel.LangEnglish]
	}
	return b[panel.LangNorwegian]
}

// deadlineText writes a deadline for an SMS in lang.
func (s *Service) deadlineText(t time.Time, lang string) string {
	at := " kl. "
	if lang == panel.LangEnglish {
		at = " at "
	}
	return smstext.FormatDateIn(t, s.cfg.Now(), s.cfg.Location, lang) + at + smstext.FormatTime(t, s.cfg.Location)
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
	members, err := s.store.ListDrawMembers(ctx, id)
	if err != nil {
		return NotifyResult{}, err
	}
	vols, err := s.store.ListPool(ctx, d.CampaignID)
	if err != nil {
		return NotifyResult{}, err
	}
	lang := languages(vols)
	confirmBy := s.cfg.Now().Add(time.Duration(d.Params.ConfirmWithin) * time.Second)
	if d.NotifiedAt != nil {
		confirmBy = d.NotifiedAt.Add(time.Duration(d.Params.ConfirmWithin) * time.Second)
	}
	texts, err := s.renderTexts(camp.Templates, confirmBy)
	if err != nil {
		return NotifyResult{}, err
	}
	var res NotifyResult
	var msgs []*panel.OutboundMessage
	inDraw := map[string]bool{}
	for _, m := range members {
		inDraw[m.PseudoID] = true
		var body string
		switch {
		case m.OnPanel():
			body = in(texts, lang[m.RecipientID]).selected
			res.Selected++
		case m.State == panel.MemberReserve:
			body = in(texts, lang[m.RecipientID]).reserve
			res.Reserves++
		default:
			continue
		}
		if m.RecipientID != 0 {
			msgs = append(msgs, s.message(d, m.RecipientID, body, "notify/"+strconv.FormatInt(id, 10)+"/"+m.PseudoID))
		}
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
			msgs = append(msgs, s.message(d, v.RecipientID, in(texts, lang[v.RecipientID]).notSelected, "notify/"+strconv.FormatInt(id, 10)+"/"+pid))
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
