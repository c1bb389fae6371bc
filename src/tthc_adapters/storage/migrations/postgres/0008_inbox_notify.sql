-- tthc storage, version 8 (PostgreSQL): inbox workers are woken by NOTIFY.
-- Every statement that adds inbound events notifies channel tthc_inbox with
-- the table's schema as payload (one notification per transaction and schema:
-- PostgreSQL folds identical ones), so `tthc worker` LISTENs and drains at
-- once instead of at its next poll. Polling stays as the fallback.

CREATE FUNCTION inbox_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('tthc_inbox', TG_TABLE_SCHEMA);
    RETURN NULL;
END
$$;

CREATE TRIGGER inbox_events_notify AFTER INSERT ON inbox_events
    FOR EACH STATEMENT EXECUTE FUNCTION inbox_events_notify();
