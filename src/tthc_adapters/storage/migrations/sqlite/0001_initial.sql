-- tthc storage, version 1 (SQLite). Times are UTC ISO 8601 text, which sorts
-- in time order; JSON bodies are text.

CREATE TABLE aggregates (
    kind          TEXT    NOT NULL,
    key           TEXT    NOT NULL,
    version       INTEGER NOT NULL CHECK (version > 0),
    state         TEXT,
    due_at        TEXT,
    dossier_code  TEXT,
    phone         TEXT,
    body          TEXT    NOT NULL,
    PRIMARY KEY (kind, key)
) WITHOUT ROWID;
CREATE INDEX aggregates_due ON aggregates (kind, due_at) WHERE due_at IS NOT NULL;
CREATE INDEX aggregates_dossier ON aggregates (dossier_code, kind) WHERE dossier_code IS NOT NULL;
CREATE INDEX aggregates_phone ON aggregates (phone, kind) WHERE phone IS NOT NULL;

-- The audit trail: append-only.
CREATE TABLE events (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    kind          TEXT    NOT NULL,
    key           TEXT    NOT NULL,
    version       INTEGER NOT NULL,
    type          TEXT    NOT NULL,
    occurred_at   TEXT    NOT NULL,
    dossier_code  TEXT,
    body          TEXT    NOT NULL
);
CREATE INDEX events_aggregate ON events (kind, key, seq);
CREATE INDEX events_dossier ON events (dossier_code, seq) WHERE dossier_code IS NOT NULL;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the audit trail (events) is append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'the audit trail (events) is append-only'); END;

CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    key              TEXT    NOT NULL UNIQUE,
    channel          TEXT    NOT NULL,
    payload          TEXT    NOT NULL,
    created_at       TEXT    NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT,
    lease_owner      TEXT,
    lease_until      TEXT,
    delivered_at     TEXT,
    last_error       TEXT
);
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE delivered_at IS NULL;

CREATE TABLE inbox (
    source       TEXT NOT NULL,
    event_id     TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    PRIMARY KEY (source, event_id)
) WITHOUT ROWID;

CREATE TABLE citizen_links (
    channel       TEXT NOT NULL,
    user_id       TEXT NOT NULL,
    dossier_code  TEXT NOT NULL,
    phone         TEXT,
    linked_at     TEXT NOT NULL,
    PRIMARY KEY (channel, user_id, dossier_code)
) WITHOUT ROWID;
CREATE INDEX citizen_links_dossier ON citizen_links (dossier_code);
CREATE INDEX citizen_links_phone ON citizen_links (phone) WHERE phone IS NOT NULL;

CREATE TABLE procedures (
    code  TEXT PRIMARY KEY,
    body  TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE sequences (
    agency  TEXT    NOT NULL,
    day     TEXT    NOT NULL,
    last    INTEGER NOT NULL,
    PRIMARY KEY (agency, day)
) WITHOUT ROWID;
