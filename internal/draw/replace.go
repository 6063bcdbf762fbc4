package draw

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/sortition"
)

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// Drop marks a member on the panel as dropped (an organiser's decision,
// audited under the caller) and replaces them from the reserves.
// ECONFLICT when the member holds no seat; ENOTFOUND for an unknown one.
func (s *Service) Drop(ctx context.Context, drawID int64, pseudoID string) (*panel.DrawMember, error) {
	d, err := s.store.FindDraw(ctx, drawID)
	if err != nil {
		return nil, err
	}
	if d.State != panel.DrawSeeded {
		return nil, panel.Errorf(panel.ECONFLICT, "draw %d is %s: it has no members yet", drawID, d.State)
	}
	m, err := s.store.SetMemberState(ctx, drawID, pseudoID, []string{panel.MemberSelected, panel.MemberConfirmed}, panel.MemberDropped, "draw.member_dropped")
	if err != nil {
		return nil, err
	}
	if err := s.ReplaceDropouts(ctx, drawID); err != nil {
		return m, err
	}
	return m, nil
}

// ReplaceDropouts gives the seat of every member who left the panel
// (declined, dropped) and was not replaced to a reserve, by
// sortition.Replace: the first unused reserve, in order, whose swap keeps
// every quota (else the first one, recorded with quotas_kept false).
// Reserves who declined, dropped out or opted out are passed over and
// listed as unavailable. Each replacement is in the record's history, an
// audit event, and the reserve gets the selected-member SMS. With no
// reserve left the member stays unreplaced and a warning is logged.
func (s *Service) ReplaceDropouts(ctx context.Context, drawID int64) error {
	d, err := s.store.FindDraw(ctx, drawID)
	if err != nil {
		return err
	}
	camp, err := s.store.FindCampaignByID(ctx, d.CampaignID)
	if err != nil {
		return err
	}
	confirmBy := s.cfg.Now().Add(time.Duration(d.Params.ConfirmWithin) * time.Second)
	texts, err := s.renderTexts(camp.Templates, confirmBy)
	if err != nil {
		return err
	}
	vols, err := s.store.ListPool(ctx, d.CampaignID)
	if err != nil {
		return err
	}
	lang := languages(vols)
	body := func(recipientID int64) string { return in(texts, lang[recipientID]).selected }
	reps, err := s.store.ReplaceMembers(ctx, drawID, confirmBy, func(raw []byte, members []*panel.DrawMember) ([]byte, []panel.Replacement, error) {
		return s.decideReplacements(d, raw, members, body)
	})
	for _, r := range reps {
		s.cfg.Logger.InfoContext(ctx, "member replaced", slog.Int64("draw_id", drawID), slog.Int64("member_id", r.Leaving),
			slog.Int64("replacement_id", r.Reserve), slog.Bool("quotas_kept", r.QuotasKept))
	}
	return err
}

// decideReplacements replaces, in rank order, the members on the record's
// current panel who left. It is pure: the store runs it on the locked draw.
func (s *Service) decideReplacements(d *panel.Draw, raw []byte, members []*panel.DrawMember, body func(recipientID int64) string) ([]byte, []panel.Replacement, error) {
	var rec sortition.Record
	if err := json.Unmarshal(raw, &rec); err != nil {
		return nil, nil, fmt.Errorf("draw %d: read record: %w", d.ID, err)
	}
	byPseudo := map[string]*panel.DrawMember{}
	for _, m := range members {
		byPseudo[m.PseudoID] = m
	}
	var out []panel.Replacement
	for _, m := range members {
		cur := rec.Current()
		if m.ReplacedBy != 0 || m.OnPanel() || m.State == panel.MemberReserve || !slices.Contains(cur, m.PseudoID) {
			continue
		}
		used := map[string]bool{}
		for _, h := range rec.History {
			used[h.Member], used[h.Replacement] = true, true
		}
		var unavailable []string
		for _, r := range rec.Reserves {
			rm := byPseudo[r]
			if rm == nil || used[r] || slices.Contains(cur, r) {
				continue
			}
			if rm.State != panel.MemberReserve || rm.OptedOut {
				unavailable = append(unavailable, r)
			}
		}
		repl, kept, err := sortition.Replace(&rec, m.PseudoID, unavailable)
		if err != nil {
			s.cfg.Logger.Warn("member cannot be replaced", slog.Int64("draw_id", d.ID), slog.Int64("member_id", m.ID), slog.String("error", err.Error()))
			continue
		}
		rm := byPseudo[repl]
		r := panel.Replacement{Leaving: m.ID, Reserve: rm.ID, QuotasKept: kept, Unavailable: unavailable}
		if rm.RecipientID != 0 && !rm.OptedOut {
			r.Message = &panel.OutboundMessage{CampaignID: d.CampaignID, RecipientID: rm.RecipientID, Kind: panel.KindNotification,
				Body: body(rm.RecipientID), DedupKey: "notify/" + strconv.FormatInt(d.ID, 10) + "/" + rm.PseudoID + "/replacement"}
		}
		out = append(out, r)
	}
	if len(out) == 0 {
		return raw, nil, nil
	}
	var b bytes.Buffer
	if err := sortition.WriteRecord(&b, &rec); err != nil {
		return nil, nil, err
	}
	return b.Bytes(), out, nil
}
