-- tthc storage, version 2 (SQLite): the inbox queue. A webhook accepts an
-- inbound event here (body as received, server receipt time) and answers at
-- once; the inbox worker claims events under a lease and handles them.
-- next_attempt_at NULL while handled_at is NULL: parked (see last_error).

CREATE TABLE inbox_events (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    source           TEXT    NOT NULL,
    event_id         TEXT    NOT NULL,
    payload          TEXT    NOT NULL,
    raw              BLOB    NOT NULL,
    received_at      TEXT    NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT,
    lease_owner      TEXT,
    lease_until      TEXT,
    handled_at       TEXT,
    last_error       TEXT,
    UNIQUE (source, event_id)
);
CREATE INDEX inbox_events_due ON inbox_events (next_attempt_at, id) WHERE handled_at IS NULL;
