package store

import (
	"context"
	"slices"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
)

var _ panel.ConversationReader = (*Store)(nil)

// conversationBatch bounds the recipient ids of one query.
const conversationBatch = 500

// Conversations implements panel.ConversationReader with one query per
// 500 recipients over inbound messages, the answers the service gave them
// (TwiML replies, kind "reply") and outbound messages, each through its
// recipient_id index.
func (s *Store) Conversations(ctx context.Context, recipientIDs []int64, perRecipient int) (map[int64][]panel.ConversationEntry, error) {
	out := map[int64][]panel.ConversationEntry{}
	for ids := range slices.Chunk(recipientIDs, conversationBatch) {
		var rows []struct {
			RecipientID int64
			At          time.Time
			Inbound     bool
			Kind        string
			Body        string
		}
		err := s.conn(ctx).Raw(`
SELECT recipient_id, received_at AS at, TRUE AS inbound, '' AS kind, COALESCE(body, '') AS body
  FROM inbound_messages WHERE recipient_id IN ?
UNION ALL
SELECT recipient_id, COALESCE(handled_at, received_at) AS at, FALSE AS inbound, 'reply' AS kind, reply AS body
  FROM inbound_messages WHERE recipient_id IN ? AND reply IS NOT NULL AND reply <> ''
UNION ALL
SELECT recipient_id, created_at AS at, FALSE AS inbound, kind, body
  FROM outbound_messages WHERE recipient_id IN ? AND state <> 'cancelled'`, ids, ids, ids).Scan(&rows).Error
		if err != nil {
			return nil, translate(err, "conversation")
		}
		for _, r := range rows {
			out[r.RecipientID] = append(out[r.RecipientID], panel.ConversationEntry{At: r.At.UTC(), Inbound: r.Inbound, Kind: r.Kind, Body: r.Body})
		}
	}
	for id, entries := range out {
		// Times are ordered in Go: SQLite keeps them as text.
		slices.SortStableFunc(entries, func(a, b panel.ConversationEntry) int { return a.At.Compare(b.At) })
		if perRecipient > 0 && len(entries) > perRecipient {
			entries = entries[len(entries)-perRecipient:]
		}
		out[id] = entries
	}
	return out, nil
}
