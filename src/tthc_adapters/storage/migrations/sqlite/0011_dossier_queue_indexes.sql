-- tthc storage, version 11 (SQLite): indexes for a province's work queues.
--
-- The staff queues (tthc_adapters.storage._dossier_queues) page through
-- dossiers by state and by holding unit, soonest due first, with keyset
-- paging on (due_at, key). With 100 000 dossiers a scan of every body is
-- what these indexes avoid.
CREATE INDEX aggregates_state_key ON aggregates (kind, state, key);
CREATE INDEX aggregates_holder_due
    ON aggregates (kind, json_extract(body, '$.holder_unit'), due_at, key)
    WHERE due_at IS NOT NULL;
