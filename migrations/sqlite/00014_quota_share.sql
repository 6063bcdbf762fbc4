-- The population share a quota came from (SQLite): the fraction, from 0 to 1,
-- of the population holding the category value, as the organiser took it from
-- the register or the census. NULL when not given; the console's chart then
-- aims at the middle of min–max.

-- +goose Up

ALTER TABLE quotas ADD COLUMN share REAL CHECK (share IS NULL OR (share >= 0 AND share <= 1));

-- +goose Down

ALTER TABLE quotas DROP COLUMN share;
