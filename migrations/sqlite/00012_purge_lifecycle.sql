-- What a purge leaves (SQLite). purged_at marks a campaign whose
-- personal data was purged: it is shown in state "purged". A purge queues
-- the provider's ids (Twilio message SIDs) of the campaign's messages in
-- provider_deletions and removes them from the messages; a worker asks the
-- provider to delete each message and deletes the row once the provider
-- has (or never had) it. A failed attempt is kept with its error and tried
-- again later: nothing is dropped silently.
-- A purged campaign keeps state 'closed' and shows as purged through
-- purged_at, rather than a widened state check: on SQLite that would mean
-- rebuilding campaigns, which ten tables reference.

-- +goose Up

ALTER TABLE campaigns ADD COLUMN purged_at TIMESTAMP;

CREATE TABLE provider_deletions (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id     BIGINT REFERENCES campaigns (id) ON DELETE SET NULL,
    provider_id     TEXT NOT NULL UNIQUE CHECK (provider_id <> ''),
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at TIMESTAMP NOT NULL,
    last_error      TEXT,
    created_at      TIMESTAMP NOT NULL
);
-- "Claim due deletions": WHERE next_attempt_at <= ? ORDER BY next_attempt_at, id.
CREATE INDEX provider_deletions_due_idx ON provider_deletions (next_attempt_at, id);
-- The retention purge of inbound SMS from numbers in no campaign.
CREATE INDEX inbound_messages_unknown_idx ON inbound_messages (received_at) WHERE recipient_id IS NULL AND campaign_id IS NULL;

-- +goose Down

DROP INDEX inbound_messages_unknown_idx;
DROP TABLE provider_deletions;
ALTER TABLE campaigns DROP COLUMN purged_at;
