-- The last day to answer an invitation (PostgreSQL): the {deadline} placeholder.
-- reply_by is a calendar date "YYYY-MM-DD" in PANEL_TIMEZONE, or '' for none.

-- +goose Up

ALTER TABLE campaigns ADD COLUMN reply_by TEXT NOT NULL DEFAULT '';

-- +goose Down

ALTER TABLE campaigns DROP COLUMN reply_by;
