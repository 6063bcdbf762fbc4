package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/citizenspanel/panel/internal/panel"
)

// This file owns the organisers' view of inbound messages: the inbox, its
// resolution, and look-ups by provider id. Storing a message is in
// inbound.go.

// maxResolution bounds an organiser's note on a resolved inbox message.
const maxResolution = 2000

// FindInboundByProviderID returns a stored message, or ENOTFOUND.
func (s *Store) FindInboundByProviderID(ctx context.Context, providerID string) (*panel.InboundMessage, error) {
	var row inboundRow
	if err := s.conn(ctx).Where("provider_id = ?", providerID).Take(&row).Error; err != nil {
		return nil, translate(err, "inbound message")
	}
	return row.toPanel(), nil
}

// ListInbox lists the campaign's inbox messages; see panel.InboundStore.
func (s *Store) ListInbox(ctx context.Context, campaignID int64, f panel.InboxFilter) ([]*panel.InboundMessage, int, error) {
	limit, err := listLimit(f.Limit)
	if err != nil {
		return nil, 0, err
	}
	if f.Offset < 0 {
		return nil, 0, panel.Errorf(panel.EINVALID, "offset must not be negative, got %d", f.Offset)
	}
	q := s.conn(ctx).Table("inbound_messages m").Where("m.campaign_id = ?", campaignID)
	switch f.State {
	case "":
		q = q.Where("m.inbox IS NOT NULL")
	case panel.InboxOpen, panel.InboxResolved:
		q = q.Where("m.inbox = ?", f.State)
	default:
		return nil, 0, panel.Errorf(panel.EINVALID, "state must be open or resolved, got %q", f.State)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, translate(err, "inbox")
	}
	var rows []inboundRow
	if err := q.Select("m.*").Order("m.received_at, m.id").Offset(f.Offset).Limit(limit).Scan(&rows).Error; err != nil {
		return nil, 0, translate(err, "inbox")
	}
	pseudonyms, err := s.pseudonyms(ctx, rows)
	if err != nil {
		return nil, 0, err
	}
	out := make([]*panel.InboundMessage, len(rows))
	for i := range rows {
		out[i] = rows[i].toPanel()
		out[i].RecipientPseudoID = pseudonyms[out[i].RecipientID]
	}
	return out, int(total), nil
}

// pseudonyms returns the pseudonyms of the messages' recipients by id.
func (s *Store) pseudonyms(ctx context.Context, rows []inboundRow) (map[int64]string, error) {
	var ids []int64
	for _, r := range rows {
		if r.RecipientID != nil {
			ids = append(ids, *r.RecipientID)
		}
	}
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var found []recipientRow
	if err := s.conn(ctx).Select("id, pseudonym").Where("id IN ?", ids).Find(&found).Error; err != nil {
		return nil, translate(err, "recipients")
	}
	for _, r := range found {
		out[r.ID] = r.Pseudonym
	}
	return out, nil
}

// ResolveInbox marks an inbox message resolved; see panel.InboundStore.
// The "inbox.resolved" audit event, under the actor carried by ctx, is
// written in the same transaction.
func (s *Store) ResolveInbox(ctx context.Context, campaignID, messageID int64, resolution string) (*panel.InboundMessage, error) {
	resolution = strings.TrimSpace(panel.CleanText(resolution, maxResolution))
	var out *panel.InboundMessage
	err := s.InTx(ctx, func(tx *Store) error {
		var row inboundRow
		err := tx.conn(ctx).Where("id = ? AND campaign_id = ? AND inbox IS NOT NULL", messageID, campaignID).Take(&row).Error
		if err != nil {
			return translate(err, "inbox message")
		}
		if deref(row.Inbox) == panel.InboxResolved {
			return panel.Errorf(panel.ECONFLICT, "inbox message %d is resolved already", messageID)
		}
		now := tx.clock()
		err = tx.conn(ctx).Model(&inboundRow{}).Where("id = ?", row.ID).
			Updates(map[string]any{"inbox": panel.InboxResolved, "resolved_at": now, "resolution": resolution}).Error
		if err != nil {
			return translate(err, "inbox message")
		}
		// The note stays out of the audit log: it may name the person,
		// and the log outlives the purge of personal data.
		err = tx.audit(ctx, "inbox.resolved", fmt.Sprintf("campaign/%d/inbox/%d", campaignID, messageID),
			map[string]any{"campaign_id": campaignID, "message_id": messageID})
		if err != nil {
			return err
		}
		row.Inbox, row.ResolvedAt, row.Resolution = strPtr(panel.InboxResolved), &now, &resolution
		out = row.toPanel()
		return nil
	})
	return out, err
}
