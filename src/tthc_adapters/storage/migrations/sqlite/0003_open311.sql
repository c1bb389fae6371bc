-- tthc storage, version 3 (SQLite): Open311 client applications and tokens.
-- Only the SHA-256 digest of an API key is stored, never the key.

CREATE TABLE open311_clients (
    name        TEXT PRIMARY KEY,
    key_hash    TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
) WITHOUT ROWID;

CREATE TABLE open311_tokens (
    token       TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL,
    client      TEXT NOT NULL REFERENCES open311_clients (name),
    created_at  TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX open311_tokens_case ON open311_tokens (case_id);
