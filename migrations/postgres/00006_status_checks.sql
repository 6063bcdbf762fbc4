-- Delivery status checks (PostgreSQL). A message whose status callbacks were lost
-- (the service was down when the provider posted them) stays 'sent'; the
-- status poller fetches its status from the provider with backoff.
-- status_checks counts the checks made; status_check_at is when the next one
-- is due: NULL before the first check, and NULL again once the poller gave up.
-- While a poller works on a message, status_check_at is the end of its lease.

-- +goose Up

ALTER TABLE outbound_messages ADD COLUMN status_checks INTEGER NOT NULL DEFAULT 0 CHECK (status_checks >= 0);
ALTER TABLE outbound_messages ADD COLUMN status_check_at TIMESTAMPTZ;
-- "Claim due status checks": WHERE state = 'sent' AND (sent_at <= $first AND ... OR status_check_at <= $now).
CREATE INDEX outbound_messages_status_check_idx ON outbound_messages (sent_at) WHERE state = 'sent';

-- +goose Down

DROP INDEX outbound_messages_status_check_idx;
ALTER TABLE outbound_messages DROP COLUMN status_check_at;
ALTER TABLE outbound_messages DROP COLUMN status_checks;
