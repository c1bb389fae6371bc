-- tthc storage, version 2 (PostgreSQL): the inbox queue. A webhook accepts an
-- inbound event here (body as received, server receipt time) and answers at
-- once; inbox workers claim events under a lease (FOR UPDATE SKIP LOCKED).
-- next_attempt_at NULL while handled_at is NULL: parked (see last_error).

CREATE TABLE inbox_events (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source           text        NOT NULL,
    event_id         text        NOT NULL,
    payload          jsonb       NOT NULL,
    raw              bytea       NOT NULL,
    received_at      timestamptz NOT NULL,
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz,
    lease_owner      text,
    lease_until      timestamptz,
    handled_at       timestamptz,
    last_error       text,
    UNIQUE (source, event_id)
);
CREATE INDEX inbox_events_due ON inbox_events (next_attempt_at, id) WHERE handled_at IS NULL;
