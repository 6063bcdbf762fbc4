-- Token expiry and idempotency keys (SQLite). Keep it equivalent to
-- ../postgres/00010_token_expiry_idempotency.sql.
--   api_tokens.expires_at  a token is refused from this time on; NULL: never
--   idempotency_keys       the first answer to a creating admin API call sent
--                          with an Idempotency-Key header, per actor, method,
--                          path and key; repeats get it back. Rows older than
--                          the retention period (store.IdempotencyRetention)
--                          are deleted.

-- +goose Up

ALTER TABLE api_tokens ADD COLUMN expires_at TIMESTAMP;

CREATE TABLE idempotency_keys (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    actor        TEXT NOT NULL,
    method       TEXT NOT NULL,
    path         TEXT NOT NULL,
    key          TEXT NOT NULL CHECK (key <> ''),
    request_hash TEXT NOT NULL,
    status       INTEGER,
    content_type TEXT,
    body         BLOB,
    created_at   TIMESTAMP NOT NULL,
    UNIQUE (actor, method, path, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- +goose Down

DROP TABLE idempotency_keys;
ALTER TABLE api_tokens DROP COLUMN expires_at;
