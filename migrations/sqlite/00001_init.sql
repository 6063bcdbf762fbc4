-- The whole domain of the panel service (SQLite). Keep it equivalent to
-- ../postgres/00001_init.sql: same tables, columns, keys, checks and indexes.
-- Times are TIMESTAMP text "YYYY-MM-DD HH:MM:SS.fff+00:00", always UTC, so text order is time order.

-- +goose Up

CREATE TABLE campaigns (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    name            TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
    invitation_text TEXT NOT NULL CHECK (invitation_text <> ''),
    templates       TEXT NOT NULL DEFAULT '{}',
    send_rate       REAL NOT NULL DEFAULT 10 CHECK (send_rate > 0 AND send_rate <= 100),
    quiet_hours     TEXT NOT NULL DEFAULT '20:00-08:00',
    dialogue        TEXT NOT NULL DEFAULT '{}',
    state           TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'sending', 'paused', 'closed')),
    created_at      TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    updated_at      TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now'))
);

-- One invited person. phone is NULL once personal data has been purged.
CREATE TABLE recipients (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id  INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    phone        TEXT CHECK (phone LIKE '+%'),
    attributes   TEXT NOT NULL DEFAULT '{}',
    pseudonym    TEXT NOT NULL UNIQUE,
    state        TEXT NOT NULL DEFAULT 'pending'
                 CHECK (state IN ('pending', 'invited', 'volunteered', 'declined', 'opted_out', 'unreachable')),
    opted_out_at TIMESTAMP,
    created_at   TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    updated_at   TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    UNIQUE (campaign_id, phone)
);
CREATE INDEX recipients_campaign_state_idx ON recipients (campaign_id, state);

-- The outbox: one row per logical message, made unique by dedup_key.
CREATE TABLE outbound_messages (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id     INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    recipient_id    INTEGER NOT NULL REFERENCES recipients (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL
                    CHECK (kind IN ('invitation', 'dialogue', 'notification', 'reminder', 'notice', 'confirmation')),
    body            TEXT NOT NULL,
    state           TEXT NOT NULL DEFAULT 'queued'
                    CHECK (state IN ('queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'cancelled')),
    dedup_key       TEXT NOT NULL UNIQUE,
    provider_id     TEXT UNIQUE,
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    lease_owner     TEXT,
    lease_until     TIMESTAMP,
    last_error_code INTEGER,
    last_error      TEXT,
    created_at      TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    updated_at      TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    sent_at         TIMESTAMP
);
-- "Claim due queued rows": WHERE state = 'queued' AND next_attempt_at <= $now ORDER BY next_attempt_at, id.
CREATE INDEX outbound_messages_due_idx ON outbound_messages (next_attempt_at, id) WHERE state = 'queued';
-- Expired leases of crashed senders.
CREATE INDEX outbound_messages_lease_idx ON outbound_messages (lease_until) WHERE state = 'sending';
CREATE INDEX outbound_messages_campaign_state_idx ON outbound_messages (campaign_id, state);
CREATE INDEX outbound_messages_recipient_idx ON outbound_messages (recipient_id);

-- Delivery status callbacks as received; they may arrive before provider_id is stored.
CREATE TABLE message_status_events (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    outbound_message_id INTEGER REFERENCES outbound_messages (id) ON DELETE SET NULL,
    provider_id         TEXT NOT NULL,
    status              TEXT NOT NULL,
    error_code          INTEGER,
    received_at         TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now'))
);
CREATE INDEX message_status_events_provider_idx ON message_status_events (provider_id);

-- Inbound SMS; provider_id makes a webhook delivered twice count once.
CREATE TABLE inbound_messages (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    provider_id  TEXT NOT NULL UNIQUE,
    from_number  TEXT,
    to_number    TEXT,
    body         TEXT,
    recipient_id INTEGER REFERENCES recipients (id) ON DELETE SET NULL,
    received_at  TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    state        TEXT NOT NULL DEFAULT 'received' CHECK (state IN ('received', 'handled', 'ignored', 'failed')),
    handled_at   TIMESTAMP,
    error        TEXT
);
CREATE INDEX inbound_messages_recipient_idx ON inbound_messages (recipient_id);
CREATE INDEX inbound_messages_unhandled_idx ON inbound_messages (received_at, id) WHERE state = 'received';

-- The volunteer pool. Imported volunteers with a phone get a recipient row too,
-- so phone numbers live in one table.
CREATE TABLE volunteers (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id     INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    recipient_id    INTEGER UNIQUE REFERENCES recipients (id) ON DELETE SET NULL,
    external_id     TEXT NOT NULL CHECK (external_id <> ''),
    category_values TEXT NOT NULL DEFAULT '{}',
    household_key   TEXT,
    dialogue_step   INTEGER NOT NULL DEFAULT 0 CHECK (dialogue_step >= 0),
    dialogue_state  TEXT NOT NULL DEFAULT 'asking' CHECK (dialogue_state IN ('asking', 'complete', 'withdrawn')),
    complete        BOOLEAN NOT NULL DEFAULT 0 CHECK (complete IN (0, 1)),
    source          TEXT NOT NULL CHECK (source IN ('sms', 'import')),
    created_at      TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    updated_at      TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    UNIQUE (campaign_id, external_id)
);
CREATE INDEX volunteers_campaign_complete_idx ON volunteers (campaign_id, complete);

CREATE TABLE volunteer_answers (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    volunteer_id       INTEGER NOT NULL REFERENCES volunteers (id) ON DELETE CASCADE,
    question           TEXT NOT NULL,
    answer             TEXT NOT NULL,
    inbound_message_id INTEGER REFERENCES inbound_messages (id) ON DELETE SET NULL,
    created_at         TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    UNIQUE (volunteer_id, question)
);

-- min_flex/max_flex bound how far a quota may be relaxed; NULL means not at all.
CREATE TABLE quotas (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    category    TEXT NOT NULL CHECK (category <> ''),
    value       TEXT NOT NULL CHECK (value <> ''),
    min         INTEGER NOT NULL CHECK (min >= 0),
    max         INTEGER NOT NULL,
    min_flex    INTEGER CHECK (min_flex IS NULL OR (min_flex >= 0 AND min_flex <= min)),
    max_flex    INTEGER CHECK (max_flex IS NULL OR max_flex >= max),
    CHECK (max >= min),
    UNIQUE (campaign_id, category, value)
);

-- record is kept as TEXT, byte for byte as published.
CREATE TABLE draws (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id  INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE RESTRICT,
    seats        INTEGER NOT NULL CHECK (seats > 0),
    reserves     INTEGER NOT NULL DEFAULT 0 CHECK (reserves >= 0),
    algorithm    TEXT NOT NULL CHECK (algorithm IN ('leximin', 'legacy')),
    state        TEXT NOT NULL DEFAULT 'committing' CHECK (state IN ('committing', 'committed', 'seeded', 'failed')),
    commitment   TEXT,
    seed         TEXT,
    record       TEXT,
    error        TEXT,
    created_at   TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    updated_at   TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    committed_at TIMESTAMP,
    seeded_at    TIMESTAMP,
    published_at TIMESTAMP
);
-- At most one live draw per campaign, also with several replicas.
CREATE UNIQUE INDEX draws_one_live_per_campaign_idx ON draws (campaign_id) WHERE state <> 'failed';

CREATE TABLE panel_members (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    draw_id      INTEGER NOT NULL REFERENCES draws (id) ON DELETE CASCADE,
    volunteer_id INTEGER NOT NULL REFERENCES volunteers (id) ON DELETE RESTRICT,
    pseudonym    TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('selected', 'reserve')),
    rank         INTEGER NOT NULL CHECK (rank >= 1),
    state        TEXT NOT NULL
                 CHECK (state IN ('selected', 'confirmed', 'declined', 'dropped', 'replaced', 'reserve')),
    replaced_by  INTEGER REFERENCES panel_members (id) ON DELETE SET NULL,
    created_at   TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    updated_at   TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    UNIQUE (draw_id, volunteer_id),
    UNIQUE (draw_id, role, rank)
);

CREATE TABLE meetings (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id  INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    title        TEXT NOT NULL CHECK (title <> ''),
    starts_at    TIMESTAMP NOT NULL,
    place        TEXT NOT NULL DEFAULT '',
    cancelled_at TIMESTAMP,
    created_at   TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    updated_at   TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now'))
);
CREATE INDEX meetings_campaign_starts_idx ON meetings (campaign_id, starts_at);

-- The unique key makes a reminder job that runs twice (two replicas) send once.
CREATE TABLE reminders (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id           INTEGER NOT NULL REFERENCES panel_members (id) ON DELETE CASCADE,
    meeting_id          INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    kind                TEXT NOT NULL CHECK (kind <> ''),
    outbound_message_id INTEGER REFERENCES outbound_messages (id) ON DELETE SET NULL,
    created_at          TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    UNIQUE (member_id, meeting_id, kind)
);
CREATE INDEX reminders_meeting_idx ON reminders (meeting_id);

CREATE TABLE absences (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id  INTEGER NOT NULL REFERENCES panel_members (id) ON DELETE CASCADE,
    meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    reason     TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    UNIQUE (member_id, meeting_id)
);

-- Append-only, hash-chained. details is TEXT so the stored bytes are what was hashed.
CREATE TABLE audit_events (
    seq       INTEGER PRIMARY KEY CHECK (seq > 0),
    at        TIMESTAMP NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL CHECK (action <> ''),
    subject   TEXT NOT NULL DEFAULT '',
    details   TEXT NOT NULL DEFAULT '{}',
    prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
    hash      TEXT NOT NULL UNIQUE CHECK (length(hash) = 64)
);
CREATE INDEX audit_events_subject_idx ON audit_events (subject, seq);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT NOT NULL CHECK (name <> ''),
    role         TEXT NOT NULL CHECK (role IN ('organiser', 'auditor')),
    hash         TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    last_used_at TIMESTAMP,
    revoked_at   TIMESTAMP
);

-- +goose Down

DROP TABLE api_tokens;
DROP TABLE audit_events;
DROP TABLE absences;
DROP TABLE reminders;
DROP TABLE meetings;
DROP TABLE panel_members;
DROP TABLE draws;
DROP TABLE quotas;
DROP TABLE volunteer_answers;
DROP TABLE volunteers;
DROP TABLE inbound_messages;
DROP TABLE message_status_events;
DROP TABLE outbound_messages;
DROP TABLE recipients;
DROP TABLE campaigns;
