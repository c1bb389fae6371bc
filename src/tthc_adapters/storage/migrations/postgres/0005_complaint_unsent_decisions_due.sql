-- tthc storage, version 5 (PostgreSQL): the complaint overdue queue includes
-- decisions resolved but not yet sent (Law on Complaints 02/2011/QH13 Art. 32).
-- From this version the indexed due_at of a complaint case is
-- tthc_core.complaint.due_in_queue(case), recomputed on every save; this
-- backfills rows saved before, whose index left resolved cases out.
UPDATE aggregates
SET due_at = (body -> 'clock' ->> 'due_at')::timestamptz
WHERE kind = 'complaint'
  AND state = 'resolved'
  AND due_at IS NULL
  AND body -> 'clock' ->> 'due_at' IS NOT NULL;
