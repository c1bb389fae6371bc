-- tthc storage, version 10 (PostgreSQL): operating the Zalo OA channel (tthc_adapters.zalo).
-- zalo_rate: the send-rate schedule (next free instant) shared by every worker process (4,000
-- requests/minute per app, reference zalo-oa.md §1.3), taken under a row lock (SELECT ... FOR UPDATE).
-- zalo_sent: the Zalo id of each message we sent and its delivery status
-- (user_received_message / user_seen_message, §2.2); zalo_feedback: ratings
-- (user_feedback); zalo_articles / zalo_followers: broadcasts, article views and
-- follower counts for reports. Instants are ISO 8601 UTC text.
CREATE TABLE IF NOT EXISTS zalo_rate (
    name         TEXT PRIMARY KEY,
    next_at      TEXT NOT NULL,
    paused_until TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS zalo_sent (
    message_id  TEXT PRIMARY KEY,
    outbox_key  TEXT NOT NULL,
    recipient   TEXT NOT NULL,
    via         TEXT NOT NULL,
    sent_at     TEXT NOT NULL,
    received_at TEXT NOT NULL DEFAULT '',
    seen_at     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS zalo_sent_outbox_key ON zalo_sent (outbox_key);
CREATE TABLE IF NOT EXISTS zalo_feedback (
    event_id   TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL,
    rating     INTEGER NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    message_id TEXT NOT NULL DEFAULT '',
    at         TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS zalo_articles (
    article_id   TEXT PRIMARY KEY,
    title        TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    broadcast_at TEXT NOT NULL DEFAULT '',
    views        INTEGER NOT NULL DEFAULT 0,
    views_at     TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS zalo_followers (
    counted_at TEXT PRIMARY KEY,
    total      INTEGER NOT NULL
);
-- zalo_holds: a citizen's messages that could not go yet (an outage) and those
-- queued behind them; the earliest goes first, so each citizen reads them in order.
CREATE TABLE IF NOT EXISTS zalo_holds (
    recipient  TEXT NOT NULL,
    outbox_key TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    until      TEXT NOT NULL,
    PRIMARY KEY (recipient, outbox_key)
);
