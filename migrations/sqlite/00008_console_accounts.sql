-- Organiser console accounts (SQLite). Keep it equivalent to
-- ../postgres/00008_console_accounts.sql.
--   console_users             people who sign in to the console; the password is
--                             kept as an argon2id hash only
--   console_sessions          signed-in browsers; the cookie's secret is kept as
--                             its SHA-256 only; deleted with the user's disabling
--   console_signin_failures   failed sign-ins, counted per name and per address
--                             over a recent window to throttle guessing

-- +goose Up

CREATE TABLE console_users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
    role          TEXT NOT NULL CHECK (role IN ('organiser', 'auditor', 'caller')),
    password_hash TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    disabled_at   TIMESTAMP
);

CREATE TABLE console_sessions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES console_users (id) ON DELETE CASCADE,
    hash       TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX console_sessions_user_idx ON console_sessions (user_id);

CREATE TABLE console_signin_failures (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL,
    address    TEXT NOT NULL,
    at         TIMESTAMP NOT NULL
);
CREATE INDEX console_signin_failures_name_idx ON console_signin_failures (name, at);
CREATE INDEX console_signin_failures_address_idx ON console_signin_failures (address, at);

-- +goose Down

DROP TABLE console_signin_failures;
DROP TABLE console_sessions;
DROP TABLE console_users;
