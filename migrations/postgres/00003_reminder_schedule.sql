-- Meetings and reminders on a schedule (PostgreSQL). Keep it equivalent to
-- ../sqlite/00003_reminder_schedule.sql.
--   meetings.revision        counts changes (time, place, title, cancellation); change
--                            notices are keyed by it, so each change notifies once.
--   reminders.state          'sent' (an SMS was enqueued) or 'skipped' (missed while the
--                            service was down, superseded, or the member opted out).
--   reminders.due_at         the scheduled time of the reminder, UTC.
--   campaigns.reminder_policy rules such as "7d@12:00,1d@12:00"; '' means the default.

-- +goose Up

ALTER TABLE meetings ADD COLUMN revision INTEGER NOT NULL DEFAULT 0 CHECK (revision >= 0);
ALTER TABLE reminders ADD COLUMN state TEXT NOT NULL DEFAULT 'sent' CHECK (state IN ('sent', 'skipped'));
ALTER TABLE reminders ADD COLUMN due_at TIMESTAMPTZ;
ALTER TABLE campaigns ADD COLUMN reminder_policy TEXT NOT NULL DEFAULT '';
CREATE INDEX meetings_starts_idx ON meetings (starts_at);

-- +goose Down

DROP INDEX meetings_starts_idx;
ALTER TABLE campaigns DROP COLUMN reminder_policy;
ALTER TABLE reminders DROP COLUMN due_at;
ALTER TABLE reminders DROP COLUMN state;
ALTER TABLE meetings DROP COLUMN revision;
