package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
)

// This file owns purging personal data at the end of a campaign, or for one
// person.

var _ panel.PurgeService = (*Store)(nil)

// purgeScope selects whose personal data a purge deletes. Each subquery
// takes the one argument arg: recipients selects recipient ids,
// volunteers volunteer ids and members panel member ids. inbound is the
// extra condition on inbound_messages beyond their recipient (it takes
// arg too), or "".
type purgeScope struct {
	recipients string
	volunteers string
	members    string
	inbound    string
	arg        any
	inboundArg any // the argument of inbound when it differs from arg
	campaign   int64
}

// inboundArgument is the argument of sc.inbound.
func (sc purgeScope) inboundArgument() any {
	if sc.inboundArg != nil {
		return sc.inboundArg
	}
	return sc.arg
}

// campaignScope is everyone in a campaign.
func campaignScope(campaignID int64) purgeScope {
	return purgeScope{
		recipients: `SELECT id FROM recipients WHERE campaign_id = ?`,
		volunteers: `SELECT id FROM volunteers WHERE campaign_id = ?`,
		members:    `SELECT pm.id FROM panel_members pm JOIN volunteers v ON v.id = pm.volunteer_id WHERE v.campaign_id = ?`,
		inbound:    `campaign_id = ?`,
		arg:        campaignID,
		campaign:   campaignID,
	}
}

// phoneScope is the recipients recipientIDs (of any campaign) and every
// inbound message from the number p.
func phoneScope(recipientIDs []int64, p panel.Phone) purgeScope {
	if len(recipientIDs) == 0 {
		recipientIDs = []int64{0}
	}
	return purgeScope{
		recipients: `SELECT id FROM recipients WHERE id IN ?`,
		volunteers: `SELECT id FROM volunteers WHERE recipient_id IN ?`,
		members:    `SELECT pm.id FROM panel_members pm JOIN volunteers v ON v.id = pm.volunteer_id WHERE v.recipient_id IN ?`,
		inbound:    `from_number = ?`,
		arg:        recipientIDs,
		inboundArg: string(p),
	}
}

// personScope is one person: the volunteer volunteerID and their
// recipient when volunteerID is not 0, else the recipient recipientID
// (who never volunteered).
func personScope(recipientID, volunteerID int64) purgeScope {
	if volunteerID == 0 {
		return purgeScope{
			recipients: `SELECT id FROM recipients WHERE id = ?`,
			volunteers: `SELECT id FROM volunteers WHERE recipient_id = ?`,
			members:    `SELECT pm.id FROM panel_members pm JOIN volunteers v ON v.id = pm.volunteer_id WHERE v.recipient_id = ?`,
			arg:        recipientID,
		}
	}
	return purgeScope{
		recipients: `SELECT recipient_id FROM volunteers WHERE id = ? AND recipient_id IS NOT NULL`,
		volunteers: `SELECT id FROM volunteers WHERE id = ?`,
		members:    `SELECT id FROM panel_members WHERE volunteer_id = ?`,
		arg:        volunteerID,
	}
}

// PurgeCampaign purges everyone in a campaign whose panel has ended; see
// panel.PurgeService.
func (s *Store) PurgeCampaign(ctx context.Context, campaignID int64) (panel.PurgeResult, error) {
	var res panel.PurgeResult
	err := s.InTx(ctx, func(tx *Store) error {
		camp, err := tx.lockCampaignRow(ctx, campaignID)
		if err != nil {
			return err
		}
		if err := tx.panelEnded(ctx, camp); err != nil {
			return err
		}
		res, err = tx.purge(ctx, campaignScope(campaignID))
		if err != nil {
			return err
		}
		marked, err := tx.markPurged(ctx, camp)
		if err != nil || (!res.Changed() && !marked) {
			return err
		}
		res.Scope = panel.PurgeScopeCampaign
		return tx.auditPurge(ctx, "campaign.purged", fmt.Sprintf("campaign/%d", campaignID), res, map[string]any{"from": camp.State})
	})
	res.Scope = panel.PurgeScopeCampaign
	return res, err
}

// PurgePerson purges one person of a campaign; see panel.PurgeService.
func (s *Store) PurgePerson(ctx context.Context, campaignID int64, t panel.PurgeTarget) (panel.PurgeResult, error) {
	if err := t.Validate(); err != nil {
		return panel.PurgeResult{}, err
	}
	var res panel.PurgeResult
	err := s.InTx(ctx, func(tx *Store) error {
		if _, err := tx.lockCampaignRow(ctx, campaignID); err != nil {
			return err
		}
		recipientID, volunteerID, err := tx.findPerson(ctx, campaignID, t)
		if err != nil {
			return err
		}
		res, err = tx.purge(ctx, personScope(recipientID, volunteerID))
		if err != nil || !res.Changed() {
			return err
		}
		res.Scope = panel.PurgeScopePerson
		subject := fmt.Sprintf("recipient/%d", recipientID)
		if recipientID == 0 {
			subject = fmt.Sprintf("volunteer/%d", volunteerID)
		}
		return tx.auditPurge(ctx, "person.purged", subject, res, map[string]any{"campaign_id": campaignID})
	})
	res.Scope = panel.PurgeScopePerson
	return res, err
}

// markPurged shows the campaign as purged from now on: closed, with
// purged_at set. It reports whether the campaign was not marked yet.
func (s *Store) markPurged(ctx context.Context, camp *campaignRow) (bool, error) {
	if camp.PurgedAt != nil {
		return false, nil
	}
	now := s.clock()
	err := s.conn(ctx).Model(&campaignRow{}).Where("id = ?", camp.ID).
		Updates(map[string]any{"state": panel.CampaignClosed, "purged_at": now, "updated_at": now}).Error
	if err != nil {
		return false, translate(err, "campaign")
	}
	return true, nil
}

// PurgePhone purges the person with number p in every campaign and every
// message received from p; see panel.PurgeService.
func (s *Store) PurgePhone(ctx context.Context, p panel.Phone) (panel.PurgeResult, error) {
	if p == "" {
		return panel.PurgeResult{}, panel.Errorf(panel.EINVALID, "phone is required")
	}
	var res panel.PurgeResult
	err := s.InTx(ctx, func(tx *Store) error {
		var found []struct {
			ID         int64
			CampaignID int64
		}
		if err := tx.conn(ctx).Raw(`SELECT id, campaign_id FROM recipients WHERE phone = ? ORDER BY campaign_id, id`, string(p)).Scan(&found).Error; err != nil {
			return translate(err, "recipients")
		}
		var inbound int64
		if err := tx.conn(ctx).Raw(`SELECT count(*) FROM inbound_messages WHERE from_number = ?`, string(p)).Scan(&inbound).Error; err != nil {
			return translate(err, "inbound messages")
		}
		if len(found) == 0 && inbound == 0 {
			return panel.Errorf(panel.ENOTFOUND, "no recipient and no message holds this phone number")
		}
		ids := make([]int64, len(found))
		campaigns := []int64{}
		for i, f := range found {
			ids[i] = f.ID
			if len(campaigns) == 0 || campaigns[len(campaigns)-1] != f.CampaignID {
				campaigns = append(campaigns, f.CampaignID)
			}
		}
		var err error
		res, err = tx.purge(ctx, phoneScope(ids, p))
		if err != nil || !res.Changed() {
			return err
		}
		res.Scope = panel.PurgeScopePhone
		return tx.auditPurge(ctx, "person.purged", "", res, map[string]any{"by": "phone", "campaigns": campaigns})
	})
	res.Scope = panel.PurgeScopePhone
	return res, err
}

// PurgeUnknownInbound deletes the messages received before
// receivedBefore from numbers in no campaign, and the status callbacks of
// that age for messages the service does not know; see
// panel.PurgeService.
func (s *Store) PurgeUnknownInbound(ctx context.Context, receivedBefore time.Time) (int, error) {
	const unknown = `recipient_id IS NULL AND campaign_id IS NULL AND received_at < ?`
	var n int
	err := s.InTx(ctx, func(tx *Store) error {
		now := tx.clock()
		q := tx.conn(ctx).Exec(`INSERT INTO provider_deletions (provider_id, attempts, next_attempt_at, created_at)
SELECT provider_id, 0, ?, ? FROM inbound_messages WHERE `+unknown+` AND provider_id NOT LIKE 'purged:%'
ON CONFLICT (provider_id) DO NOTHING`, now, now, receivedBefore.UTC())
		if q.Error != nil {
			return translate(q.Error, "provider deletions")
		}
		d := tx.conn(ctx).Exec(`DELETE FROM inbound_messages WHERE `+unknown, receivedBefore.UTC())
		if d.Error != nil {
			return translate(d.Error, "inbound messages")
		}
		n = int(d.RowsAffected)
		// Status callbacks for messages the service never knew hold
		// provider ids too; they go after the same period.
		ev := tx.conn(ctx).Exec(`DELETE FROM message_status_events WHERE outbound_message_id IS NULL AND received_at < ?`, receivedBefore.UTC())
		if ev.Error != nil {
			return translate(ev.Error, "message status events")
		}
		if n == 0 {
			return nil
		}
		return tx.audit(ctx, "inbound.unknown_purged", "", map[string]any{
			"deleted": n, "received_before": receivedBefore.UTC().Format(time.RFC3339),
		})
	})
	return n, err
}

// panelEnded returns ECONFLICT, saying why, unless the campaign's panel
// has ended: at least one meeting not cancelled and every such meeting
// started, or the campaign closed with no meeting to come. Times are
// compared in Go, never as text in SQL.
func (s *Store) panelEnded(ctx context.Context, camp *campaignRow) error {
	var rows []meetingRow
	if err := s.conn(ctx).Where("campaign_id = ? AND cancelled_at IS NULL", camp.ID).Order("starts_at, id").Find(&rows).Error; err != nil {
		return translate(err, "meetings")
	}
	now := s.clock()
	for _, m := range rows {
		if m.StartsAt.After(now) {
			return panel.Errorf(panel.ECONFLICT, "the panel has not ended: meeting %d (%q) starts at %s; purge everyone after the last meeting, or one person with {\"recipient\": id}",
				m.ID, m.Title, m.StartsAt.UTC().Format(time.RFC3339))
		}
	}
	if len(rows) == 0 && camp.State != panel.CampaignClosed {
		return panel.Errorf(panel.ECONFLICT, "the panel has not ended: the campaign has held no meeting and is %s, not closed", camp.State)
	}
	return nil
}

// findPerson resolves t to a recipient id and a volunteer id of the
// campaign (either may be 0, not both). ENOTFOUND; ECONFLICT when t
// names more than one person.
func (s *Store) findPerson(ctx context.Context, campaignID int64, t panel.PurgeTarget) (recipientID, volunteerID int64, err error) {
	const byRecipient = `SELECT r.id AS recipient_id, v.id AS volunteer_id FROM recipients r
LEFT JOIN volunteers v ON v.recipient_id = r.id WHERE r.campaign_id = ? AND `
	var (
		q    string
		args []any
		what string
	)
	switch p, x := strings.TrimSpace(t.PseudoID), strings.TrimSpace(t.ExternalID); {
	case t.RecipientID != 0:
		q, args, what = byRecipient+`r.id = ?`, []any{campaignID, t.RecipientID}, fmt.Sprintf("recipient %d", t.RecipientID)
	case p != "":
		q = byRecipient + `r.pseudonym = ?
UNION SELECT v.recipient_id, v.id FROM panel_members pm JOIN volunteers v ON v.id = pm.volunteer_id
WHERE v.campaign_id = ? AND pm.pseudonym = ?`
		args, what = []any{campaignID, p, campaignID, p}, fmt.Sprintf("pseudonym %q", p)
	default:
		q = `SELECT recipient_id, id AS volunteer_id FROM volunteers WHERE campaign_id = ? AND external_id = ?`
		args, what = []any{campaignID, x}, fmt.Sprintf("external_id %q", x)
	}
	var found []struct {
		RecipientID *int64
		VolunteerID *int64
	}
	if err := s.conn(ctx).Raw(q, args...).Scan(&found).Error; err != nil {
		return 0, 0, translate(err, "person")
	}
	switch len(found) {
	case 0:
		return 0, 0, panel.Errorf(panel.ENOTFOUND, "campaign %d has no person with %s", campaignID, what)
	case 1:
	default:
		return 0, 0, panel.Errorf(panel.ECONFLICT, "%s names %d people in campaign %d; name one by recipient", what, len(found), campaignID)
	}
	if found[0].RecipientID != nil {
		recipientID = *found[0].RecipientID
	}
	if found[0].VolunteerID != nil {
		volunteerID = *found[0].VolunteerID
	}
	return recipientID, volunteerID, nil
}

// purge deletes the personal data of everyone in sc, counting only rows
// that still held some, so a repeated purge counts zero. The provider ids
// of their messages are moved to provider_deletions first, for the
// provider's copies to be deleted too.
func (s *Store) purge(ctx context.Context, sc purgeScope) (panel.PurgeResult, error) {
	var res panel.PurgeResult
	now := s.clock()
	inboundWhere := `(recipient_id IN (` + sc.recipients + `)`
	inboundArgs := []any{sc.arg}
	if sc.inbound != "" {
		inboundWhere += ` OR ` + sc.inbound
		inboundArgs = append(inboundArgs, sc.inboundArgument())
	}
	inboundWhere += `)`
	outboundWhere := `recipient_id IN (` + sc.recipients + `)`
	var ignored int
	type step struct {
		what  string
		count *int
		sql   string
		args  []any
	}
	steps := []step{
		{"provider deletions", &ignored,
			`INSERT INTO provider_deletions (campaign_id, provider_id, attempts, next_attempt_at, created_at)
SELECT campaign_id, provider_id, 0, ?, ? FROM outbound_messages WHERE provider_id IS NOT NULL AND ` + outboundWhere + `
ON CONFLICT (provider_id) DO NOTHING`, []any{now, now, sc.arg}},
		{"provider deletions", &ignored,
			`INSERT INTO provider_deletions (campaign_id, provider_id, attempts, next_attempt_at, created_at)
SELECT campaign_id, provider_id, 0, ?, ? FROM inbound_messages WHERE provider_id NOT LIKE 'purged:%' AND ` + inboundWhere + `
ON CONFLICT (provider_id) DO NOTHING`, append([]any{now, now}, inboundArgs...)},
		{"message status events", &ignored,
			`DELETE FROM message_status_events WHERE outbound_message_id IN (SELECT id FROM outbound_messages WHERE ` + outboundWhere + `)`, []any{sc.arg}},
		{"outbound messages", &res.ProviderMessages,
			`UPDATE outbound_messages SET provider_id = NULL WHERE provider_id IS NOT NULL AND ` + outboundWhere, []any{sc.arg}},
		{"inbound messages", &res.ProviderMessages,
			`UPDATE inbound_messages SET provider_id = 'purged:' || id WHERE provider_id NOT LIKE 'purged:%' AND ` + inboundWhere, inboundArgs},
		// Dedup keys may name a pool id as uploaded ("notify/<draw>/<id>");
		// purged recipients get no new messages, so the keys have no use left.
		{"outbound messages", &ignored,
			`UPDATE outbound_messages SET dedup_key = 'purged:' || id WHERE dedup_key NOT LIKE 'purged:%' AND ` + outboundWhere, []any{sc.arg}},
		{"outbound messages", &res.CancelledMessages,
			`UPDATE outbound_messages SET state = 'cancelled', lease_owner = NULL, lease_until = NULL, updated_at = ?
WHERE state = 'queued' AND ` + outboundWhere, []any{now, sc.arg}},
		{"outbound messages", &res.OutboundBodies,
			`UPDATE outbound_messages SET body = '', last_error = NULL, updated_at = ?
WHERE (body <> '' OR last_error IS NOT NULL) AND ` + outboundWhere, []any{now, sc.arg}},
		{"recipients", &res.Recipients,
			`UPDATE recipients SET phone = NULL, attributes = '{}', updated_at = ?
WHERE (phone IS NOT NULL OR attributes <> '{}') AND id IN (` + sc.recipients + `)`, []any{now, sc.arg}},
		{"dialogue answers", &res.Answers,
			`DELETE FROM volunteer_answers WHERE volunteer_id IN (` + sc.volunteers + `)`, []any{sc.arg}},
		{"volunteers", &res.Volunteers,
			`UPDATE volunteers SET household_key = NULL, updated_at = ?
WHERE household_key IS NOT NULL AND id IN (` + sc.volunteers + `)`, []any{now, sc.arg}},
		{"volunteers", &res.ExternalIDs,
			`UPDATE volunteers SET external_id = 'purged-' || id, updated_at = ?
WHERE source = 'import' AND external_id NOT LIKE 'purged-%' AND id IN (` + sc.volunteers + `)`, []any{now, sc.arg}},
		{"absences", &res.Absences,
			`UPDATE absences SET reason = '' WHERE reason <> '' AND member_id IN (` + sc.members + `)`, []any{sc.arg}},
		{"member calls", &res.CallNotes,
			`UPDATE member_calls SET support_needs = '' WHERE support_needs <> '' AND member_id IN (` + sc.members + `)`, []any{sc.arg}},
		{"inbound messages", &res.InboundMessages,
			`UPDATE inbound_messages SET from_number = NULL, body = NULL, reply = NULL, error = NULL, resolution = NULL
WHERE (from_number IS NOT NULL OR body IS NOT NULL OR reply IS NOT NULL OR error IS NOT NULL OR resolution IS NOT NULL)
AND ` + inboundWhere, inboundArgs},
	}
	if sc.campaign != 0 {
		steps = append(steps,
			step{"draws", &ignored,
				`UPDATE draws SET state = 'failed', error = 'the campaign was purged before the seed', lease_owner = NULL, lease_until = NULL, updated_at = ?
WHERE campaign_id = ? AND state IN ('committing', 'committed')`, []any{now, sc.campaign}},
			step{"draws", &res.DrawSnapshots,
				`UPDATE draws SET snapshot = NULL, updated_at = ? WHERE campaign_id = ? AND snapshot IS NOT NULL`, []any{now, sc.campaign}})
	}
	for _, st := range steps {
		r := s.conn(ctx).Exec(st.sql, st.args...)
		if r.Error != nil {
			return res, translate(r.Error, st.what)
		}
		*st.count += int(r.RowsAffected)
	}
	return res, nil
}

// auditPurge appends the purge's audit event: the counts, never personal
// data.
func (s *Store) auditPurge(ctx context.Context, action, subject string, res panel.PurgeResult, extra map[string]any) error {
	details := map[string]any{}
	b, err := json.Marshal(res)
	if err != nil {
		return fmt.Errorf("store: encode purge audit details: %w", err)
	}
	if err := json.Unmarshal(b, &details); err != nil {
		return fmt.Errorf("store: encode purge audit details: %w", err)
	}
	for k, v := range extra {
		details[k] = v
	}
	return s.audit(ctx, action, subject, details)
}
