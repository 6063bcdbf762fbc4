-- A per-campaign secret (SQLite). Keep it equivalent to ../postgres/00009_record_secret.sql.
-- record_secret keys the hashes that stand for people in published draw
-- records: household keys (HMAC of the folded address) and the pseudonyms of
-- imported volunteers (HMAC of the organiser's id). It is never published,
-- so nobody can recompute them from an address register or a list of ids.
-- 32 random bytes in hex, set for existing campaigns here and for new ones
-- by the trigger.

-- +goose Up

ALTER TABLE campaigns ADD COLUMN record_secret TEXT;
UPDATE campaigns SET record_secret = lower(hex(randomblob(32))) WHERE record_secret IS NULL;

-- +goose StatementBegin
CREATE TRIGGER campaigns_record_secret AFTER INSERT ON campaigns FOR EACH ROW WHEN NEW.record_secret IS NULL
BEGIN
    UPDATE campaigns SET record_secret = lower(hex(randomblob(32))) WHERE id = NEW.id;
END;
-- +goose StatementEnd

-- +goose Down

DROP TRIGGER campaigns_record_secret;
ALTER TABLE campaigns DROP COLUMN record_secret;
