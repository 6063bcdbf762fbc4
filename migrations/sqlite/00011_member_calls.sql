-- Confirmation calls and who reported an absence (SQLite). Keep it
-- equivalent to ../postgres/00011_member_calls.sql.
--   member_calls     one row per call outcome an organiser or caller recorded for
--                    a panel member or reserve: outcome, support needs as free text
--                    (personal data: a purge empties it) and as tags from a fixed
--                    set (comma-separated, e.g. "access,diet"), and who recorded it
--                    (the actor's name and role).
--   absences.reported_by   who reported the absence: "sms" for the member's own
--                    reply, else the name of the organiser or caller.

-- +goose Up

CREATE TABLE member_calls (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    draw_id       INTEGER NOT NULL REFERENCES draws (id) ON DELETE CASCADE,
    member_id     INTEGER NOT NULL REFERENCES panel_members (id) ON DELETE CASCADE,
    outcome       TEXT NOT NULL CHECK (outcome IN ('reached', 'not_reached', 'confirmed', 'declined')),
    support_needs TEXT NOT NULL DEFAULT '',
    support_tags  TEXT NOT NULL DEFAULT '',
    recorded_by   TEXT NOT NULL CHECK (recorded_by <> ''),
    recorded_role TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now'))
);
CREATE INDEX member_calls_member_idx ON member_calls (member_id, id);
CREATE INDEX member_calls_draw_idx ON member_calls (draw_id);
ALTER TABLE absences ADD COLUMN reported_by TEXT NOT NULL DEFAULT 'sms';

-- +goose Down

ALTER TABLE absences DROP COLUMN reported_by;
DROP TABLE member_calls;
