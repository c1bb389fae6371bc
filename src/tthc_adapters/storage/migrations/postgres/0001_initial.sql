-- tthc storage, version 1 (PostgreSQL). Runs with search_path set to the
-- store's schema.

CREATE TABLE aggregates (
    kind          text        NOT NULL,
    key           text        NOT NULL,
    version       integer     NOT NULL CHECK (version > 0),
    state         text,
    due_at        timestamptz,
    dossier_code  text,
    phone         text,
    body          jsonb       NOT NULL,
    PRIMARY KEY (kind, key)
);
CREATE INDEX aggregates_due ON aggregates (kind, due_at) WHERE due_at IS NOT NULL;
CREATE INDEX aggregates_dossier ON aggregates (dossier_code, kind) WHERE dossier_code IS NOT NULL;
CREATE INDEX aggregates_phone ON aggregates (phone, kind) WHERE phone IS NOT NULL;

-- The audit trail: append-only.
CREATE TABLE events (
    seq           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind          text        NOT NULL,
    key           text        NOT NULL,
    version       integer     NOT NULL,
    type          text        NOT NULL,
    occurred_at   timestamptz NOT NULL,
    dossier_code  text,
    body          jsonb       NOT NULL
);
CREATE INDEX events_aggregate ON events (kind, key, seq);
CREATE INDEX events_dossier ON events (dossier_code, seq) WHERE dossier_code IS NOT NULL;
CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail (events) is append-only';
END;
$$;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_append_only();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_append_only();

CREATE TABLE outbox (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key              text        NOT NULL UNIQUE,
    channel          text        NOT NULL,
    payload          jsonb       NOT NULL,
    created_at       timestamptz NOT NULL,
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz,
    lease_owner      text,
    lease_until      timestamptz,
    delivered_at     timestamptz,
    last_error       text
);
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE delivered_at IS NULL;

CREATE TABLE inbox (
    source       text        NOT NULL,
    event_id     text        NOT NULL,
    received_at  timestamptz NOT NULL,
    PRIMARY KEY (source, event_id)
);

CREATE TABLE citizen_links (
    channel       text        NOT NULL,
    user_id       text        NOT NULL,
    dossier_code  text        NOT NULL,
    phone         text,
    linked_at     timestamptz NOT NULL,
    PRIMARY KEY (channel, user_id, dossier_code)
);
CREATE INDEX citizen_links_dossier ON citizen_links (dossier_code);
CREATE INDEX citizen_links_phone ON citizen_links (phone) WHERE phone IS NOT NULL;

CREATE TABLE procedures (
    code  text  PRIMARY KEY,
    body  jsonb NOT NULL
);

CREATE TABLE sequences (
    agency  text    NOT NULL,
    day     date    NOT NULL,
    last    integer NOT NULL,
    PRIMARY KEY (agency, day)
);
