-- tthc storage, version 18 (PostgreSQL): the webhooks' acceptor notifies after
-- its commit instead of inside it. A transaction that NOTIFYs holds one lock
-- of the whole database from its commit until the commit is flushed to disk,
-- so every inbox insert of version 8's trigger waited for the previous one's
-- flush: concurrent acknowledgements could not share a flush (4 connections:
-- 270 commits/s with the trigger, 800-1,200 without, on the same disk). The
-- acceptor's connections (storage/_pg_accept.py) set tthc.inbox_notify = off
-- and send one NOTIFY of their own after the commit — a transaction that
-- writes nothing, so it holds that lock for no flush. Every other insert
-- (the store's own inbox queue) still notifies through the trigger.

CREATE OR REPLACE FUNCTION inbox_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('tthc.inbox_notify', true) IS DISTINCT FROM 'off' THEN
        PERFORM pg_notify('tthc_inbox', TG_TABLE_SCHEMA);
    END IF;
    RETURN NULL;
END
$$;
