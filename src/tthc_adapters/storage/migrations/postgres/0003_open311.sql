-- tthc storage, version 3 (PostgreSQL): Open311 client applications and tokens.
-- Only the SHA-256 digest of an API key is stored, never the key.

CREATE TABLE open311_clients (
    name        text PRIMARY KEY,
    key_hash    text NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL,
    revoked_at  timestamptz
);

CREATE TABLE open311_tokens (
    token       text PRIMARY KEY,
    case_id     text NOT NULL,
    client      text NOT NULL REFERENCES open311_clients (name),
    created_at  timestamptz NOT NULL
);
CREATE INDEX open311_tokens_case ON open311_tokens (case_id);
