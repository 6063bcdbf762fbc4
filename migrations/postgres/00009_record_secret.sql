-- A per-campaign secret (PostgreSQL). Keep it equivalent to ../sqlite/00009_record_secret.sql.
-- record_secret keys the hashes that stand for people in published draw
-- records: household keys (HMAC of the folded address) and the pseudonyms of
-- imported volunteers (HMAC of the organiser's id). It is never published,
-- so nobody can recompute them from an address register or a list of ids.
-- 256 random bits in hex (two random UUIDs without dashes; 244 bits are
-- random), set for existing and new campaigns by the default.

-- +goose Up

ALTER TABLE campaigns ADD COLUMN record_secret TEXT DEFAULT replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '');

-- +goose Down

ALTER TABLE campaigns DROP COLUMN record_secret;
