-- tthc storage, version 6 (PostgreSQL): the Zalo OA token pair (tthc_adapters.zalo._tokens).
-- Refresh tokens are single use, so the new pair is committed before it is used,
-- and refreshes are serialised by a row lock (SELECT ... FOR UPDATE).
CREATE TABLE IF NOT EXISTS zalo_tokens (
    oa_id TEXT PRIMARY KEY,
    access_token TEXT NOT NULL,
    refresh_token TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
