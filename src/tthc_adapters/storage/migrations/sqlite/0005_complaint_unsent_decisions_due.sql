-- tthc storage, version 5 (SQLite): the complaint overdue queue includes
-- decisions resolved but not yet sent (Law on Complaints 02/2011/QH13 Art. 32).
-- From this version the indexed due_at of a complaint case is
-- tthc_core.complaint.due_in_queue(case), recomputed on every save; this
-- backfills rows saved before, whose index left resolved cases out. Times are
-- UTC ISO 8601 text with microseconds, as the adapter writes them.
UPDATE aggregates
SET due_at = strftime('%Y-%m-%dT%H:%M:%S', json_extract(body, '$.clock.due_at'))
    || '.' || substr(strftime('%f', json_extract(body, '$.clock.due_at')), 4) || '000+00:00'
WHERE kind = 'complaint'
  AND state = 'resolved'
  AND due_at IS NULL
  AND json_extract(body, '$.clock.due_at') IS NOT NULL;
