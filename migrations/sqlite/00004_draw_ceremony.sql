-- The draw as a public ceremony (SQLite). Keep it equivalent to
-- ../postgres/00004_draw_ceremony.sql, which explains the columns.

-- +goose Up

ALTER TABLE draws ADD COLUMN params TEXT NOT NULL DEFAULT '{}';
ALTER TABLE draws ADD COLUMN snapshot TEXT;
ALTER TABLE draws ADD COLUMN lease_owner TEXT;
ALTER TABLE draws ADD COLUMN lease_until TIMESTAMP;
ALTER TABLE draws ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0);
ALTER TABLE draws ADD COLUMN progress TEXT NOT NULL DEFAULT '';
ALTER TABLE draws ADD COLUMN notified_at TIMESTAMP;
ALTER TABLE panel_members ADD COLUMN confirm_by TIMESTAMP;
ALTER TABLE panel_members ADD COLUMN answered_at TIMESTAMP;
CREATE INDEX draws_committing_idx ON draws (id) WHERE state = 'committing';
CREATE INDEX panel_members_state_idx ON panel_members (state, confirm_by);

-- +goose Down

DROP INDEX panel_members_state_idx;
DROP INDEX draws_committing_idx;
ALTER TABLE panel_members DROP COLUMN answered_at;
ALTER TABLE panel_members DROP COLUMN confirm_by;
ALTER TABLE draws DROP COLUMN notified_at;
ALTER TABLE draws DROP COLUMN progress;
ALTER TABLE draws DROP COLUMN attempts;
ALTER TABLE draws DROP COLUMN lease_until;
ALTER TABLE draws DROP COLUMN lease_owner;
ALTER TABLE draws DROP COLUMN snapshot;
ALTER TABLE draws DROP COLUMN params;
