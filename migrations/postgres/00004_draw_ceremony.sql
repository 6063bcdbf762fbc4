-- The draw as a public ceremony (PostgreSQL). Keep it equivalent to
-- ../sqlite/00004_draw_ceremony.sql.
--   draws.params            JSON: panels, household (address) columns, confirm_within.
--   draws.snapshot          JSON: the frozen pool (pseudonymous ids, category values,
--                           household keys) and quotas, taken when the draw was created.
--   draws.lease_owner/until the replica computing the lottery of a committing draw, and
--                           until when; an expired lease is taken over by another replica.
--   draws.attempts          how many times the lottery computation was started.
--   draws.progress          what the background computation is doing, for GET /api/v1/draws/{id}.
--   draws.notified_at       when the notifications were first enqueued.
--   panel_members.confirm_by  a selected member who has not confirmed by then drops out.
--   panel_members.answered_at when the member confirmed or declined.

-- +goose Up

ALTER TABLE draws ADD COLUMN params TEXT NOT NULL DEFAULT '{}';
ALTER TABLE draws ADD COLUMN snapshot TEXT;
ALTER TABLE draws ADD COLUMN lease_owner TEXT;
ALTER TABLE draws ADD COLUMN lease_until TIMESTAMPTZ;
ALTER TABLE draws ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0);
ALTER TABLE draws ADD COLUMN progress TEXT NOT NULL DEFAULT '';
ALTER TABLE draws ADD COLUMN notified_at TIMESTAMPTZ;
ALTER TABLE panel_members ADD COLUMN confirm_by TIMESTAMPTZ;
ALTER TABLE panel_members ADD COLUMN answered_at TIMESTAMPTZ;
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
