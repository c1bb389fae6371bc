-- tthc storage, version 4 (PostgreSQL): staff accounts and the officer behind each event.

-- The officials' desk accounts (tthc_core.accounts). The password is stored
-- only as an argon2 hash.
CREATE TABLE staff_accounts (
    username       text        PRIMARY KEY,
    display_name   text        NOT NULL,
    role           text        NOT NULL,
    unit           text        NOT NULL,
    password_hash  text        NOT NULL,
    failed_logins  integer     NOT NULL DEFAULT 0,
    locked_until   timestamptz,
    active         boolean     NOT NULL DEFAULT true
);

-- The officer (user name) whose action produced an event; NULL for events of
-- the citizen, the post or the system.
ALTER TABLE events ADD COLUMN actor text;

-- API tokens for the province's systems, each acting as a staff account; only
-- a digest of the secret is stored.
CREATE TABLE api_tokens (
    token_id       text PRIMARY KEY,
    username       text NOT NULL REFERENCES staff_accounts (username),
    secret_digest  text NOT NULL,
    label          text NOT NULL,
    created_at     timestamptz NOT NULL,
    revoked        boolean NOT NULL DEFAULT false
);
CREATE INDEX api_tokens_user ON api_tokens (username, created_at);
