-- tthc storage, version 4 (SQLite): staff accounts and the officer behind each event.

-- The officials' desk accounts (tthc_core.accounts). The password is stored
-- only as an argon2 hash.
CREATE TABLE staff_accounts (
    username       TEXT    PRIMARY KEY,
    display_name   TEXT    NOT NULL,
    role           TEXT    NOT NULL,
    unit           TEXT    NOT NULL,
    password_hash  TEXT    NOT NULL,
    failed_logins  INTEGER NOT NULL DEFAULT 0,
    locked_until   TEXT,
    active         INTEGER NOT NULL DEFAULT 1
) WITHOUT ROWID;

-- The officer (user name) whose action produced an event; NULL for events of
-- the citizen, the post or the system.
ALTER TABLE events ADD COLUMN actor TEXT;

-- API tokens for the province's systems, each acting as a staff account; only
-- a digest of the secret is stored.
CREATE TABLE api_tokens (
    token_id       TEXT PRIMARY KEY,
    username       TEXT NOT NULL REFERENCES staff_accounts (username),
    secret_digest  TEXT NOT NULL,
    label          TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    revoked        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX api_tokens_user ON api_tokens (username, created_at);
