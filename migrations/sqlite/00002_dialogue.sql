-- The SMS dialogue (SQLite). Keep it equivalent to ../postgres/00002_dialogue.sql.
-- inbound_messages keeps the reply it got (a webhook delivered twice answers the
-- same), its campaign, and whether it waits in the organisers' inbox.
-- reprompts count the re-prompts already sent for an unclear reply (recipients,
-- before yes or no) or an invalid answer to the current question (volunteers).

-- +goose Up

ALTER TABLE inbound_messages ADD COLUMN campaign_id INTEGER REFERENCES campaigns (id) ON DELETE CASCADE;
ALTER TABLE inbound_messages ADD COLUMN reply TEXT;
ALTER TABLE inbound_messages ADD COLUMN inbox TEXT CHECK (inbox IS NULL OR inbox IN ('open', 'resolved'));
ALTER TABLE inbound_messages ADD COLUMN resolved_at TIMESTAMP;
ALTER TABLE inbound_messages ADD COLUMN resolution TEXT;
CREATE INDEX inbound_messages_inbox_idx ON inbound_messages (campaign_id, inbox, received_at, id) WHERE inbox IS NOT NULL;

ALTER TABLE recipients ADD COLUMN reprompts INTEGER NOT NULL DEFAULT 0 CHECK (reprompts >= 0);
CREATE INDEX recipients_phone_idx ON recipients (phone);

ALTER TABLE volunteers ADD COLUMN language TEXT NOT NULL DEFAULT 'nb' CHECK (language IN ('nb', 'en'));
ALTER TABLE volunteers ADD COLUMN reprompts INTEGER NOT NULL DEFAULT 0 CHECK (reprompts >= 0);

-- +goose Down

ALTER TABLE volunteers DROP COLUMN reprompts;
ALTER TABLE volunteers DROP COLUMN language;
DROP INDEX recipients_phone_idx;
ALTER TABLE recipients DROP COLUMN reprompts;
DROP INDEX inbound_messages_inbox_idx;
ALTER TABLE inbound_messages DROP COLUMN resolution;
ALTER TABLE inbound_messages DROP COLUMN resolved_at;
ALTER TABLE inbound_messages DROP COLUMN inbox;
ALTER TABLE inbound_messages DROP COLUMN reply;
ALTER TABLE inbound_messages DROP COLUMN campaign_id;
