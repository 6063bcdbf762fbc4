-- Meetings and reminders on a schedule (SQLite). Keep it equivalent to
-- ../postgres/00003_reminder_schedule.sql, which explains the columns.

-- +goose Up

ALTER TABLE meetings ADD COLUMN revision INTEGER NOT NULL DEFAULT 0 CHECK (revision >= 0);
ALTER TABLE reminders ADD COLUMN state TEXT NOT NULL DEFAULT 'sent' CHECK (state IN ('sent', 'skipped'));
ALTER TABLE reminders ADD COLUMN due_at TIMESTAMP;
ALTER TABLE campaigns ADD COLUMN reminder_policy TEXT NOT NULL DEFAULT '';
CREATE INDEX meetings_starts_idx ON meetings (starts_at);

-- +goose Down

DROP INDEX meetings_starts_idx;
ALTER TABLE campaigns DROP COLUMN reminder_policy;
ALTER TABLE reminders DROP COLUMN due_at;
ALTER TABLE reminders DROP COLUMN state;
ALTER TABLE meetings DROP COLUMN revision;
